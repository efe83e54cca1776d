"""Monitoring indicators and the audit log for admins (being built)."""

from __future__ import annotations

from aiogram import Router

router = Router(name="indicators")
