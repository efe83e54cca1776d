"""The workspace's routers: buttons and commands, and typed answers (tried after menu buttons)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, or_f

from domain.roles import Role
from handlers.filters import RoleFilter

router = Router(name="workspace")
# /caseload must answer «Нет доступа» to a teacher too, and no router after this one sees it before
# the unknown-command fallback: so the command passes the role check here and is refused below.
router.message.filter(or_f(RoleFilter(Role.METHODIST, Role.ADMIN), Command("caseload")))
router.callback_query.filter(RoleFilter(Role.METHODIST, Role.ADMIN))
# Typed answers (comments, official results, a teacher's name); tried after menu buttons and commands.
answers_router = Router(name="workspace-answers")
answers_router.message.filter(RoleFilter(Role.METHODIST, Role.ADMIN))
