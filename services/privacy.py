"""/mydata and /forget: what is stored about the person, and deleting all of it (152-ФЗ)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from services.uow import UnitOfWork
from storage.fsm import ConversationStore, forget_redis_states, redis_user_states
from storage.models import User
from storage.personal import SECTIONS
from storage.repositories import UserRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MyData:
    """Everything stored about ``user``: their row, the names of their places, every row about
    them by table (``storage.personal``: diagnoses and answers, routes and items, applications,
    RSVPs, mentorship, caseload, messages, audit entries, invites…), the rows of others they acted
    on and their conversations, JSON-ready (``export``)."""

    user: User
    export: dict[str, Any]

    @property
    def invites(self) -> int:
        return len(self.export["invites"])

    @property
    def sections(self) -> list[tuple[str, int]]:
        """How many rows of each kind are stored about the person (the kinds that have any)."""
        counts = [(name, len(self.export[name])) for name in SECTIONS]
        return [(name, count) for name, count in counts if count]

    @property
    def acted_on(self) -> int:
        """Rows of other people this person acted on (approved, confirmed, marked…)."""
        return sum(len(ids) for ids in self.export["acted_on"].values())


async def my_data(uow: UnitOfWork, user: User, conversations: ConversationStore) -> MyData:
    """The export, with the conversations wherever they are kept (the database or Redis)."""
    users = UserRepo(uow.session)
    data = await users.export(user)
    for messenger, external_id in await users.accounts(user):  # their own account and linked ones
        data["conversation_state"] += await redis_user_states(conversations, external_id, messenger)
    return MyData(user, data)


async def forget(uow: UnitOfWork, user: User, conversations: ConversationStore) -> None:
    """Delete the person and everything that refers to them. The conversations kept in Redis go
    first: if Redis fails, the person is still there to try again."""
    users = UserRepo(uow.session)
    for messenger, external_id in await users.accounts(user):  # their own account and linked ones
        await forget_redis_states(conversations, external_id, messenger)
    await users.forget(user)
    await uow.commit()
    log.info("user forgotten on request")
