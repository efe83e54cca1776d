"""Reminders of mentorship: a pair that has not logged a meeting for the region's
``mentor_meeting_reminder_days`` (both sides are reminded; the mentorship tick decides when)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from domain import reminders as policy
from services.reminders.registry import Button, Due, Kind, OpenMentorPair, View, register, schedule
from services.uow import UnitOfWork
from storage.mentorship import MentorRepo
from storage.models import MentorPair, User

MENTOR_MEETING = "mentor_meeting"


@dataclass(frozen=True, slots=True)
class MeetingPayload:
    days: int = 14  # the region's days between meetings, as the message says

    def dump(self) -> dict[str, Any]:
        return {"days": self.days}

    @classmethod
    def load(cls, raw: dict[str, Any]) -> Self:
        return cls(days=int(raw.get("days", 14)))


class MentorMeeting(Kind[MeetingPayload, tuple[MentorPair, str | None]]):
    names = (MENTOR_MEETING,)
    group = "mentorship"
    snoozable = True

    def load_payload(self, raw: dict[str, Any]) -> MeetingPayload:
        return MeetingPayload.load(raw)

    async def load(self, uow: UnitOfWork, due: Due[MeetingPayload]) -> tuple[MentorPair, str | None] | None:
        pair = await MentorRepo(uow.session).pair_of(due.ref_id or 0, due.user.id)
        if pair is None or not policy.pair_active(pair.status):
            return None
        other = await uow.session.get(
            User, pair.mentor_id if pair.mentee_id == due.user.id else pair.mentee_id
        )
        return pair, other.full_name if other is not None else None

    def show(self, due: Due[MeetingPayload], subject: tuple[MentorPair, str | None]) -> View:
        pair, name = subject
        return View(
            "mentor-meeting-reminder",
            {"name": name or "—", "days": due.payload.days},
            (Button("mentor-btn-open-pair", OpenMentorPair(pair.id)),),
        )


register(MentorMeeting())


async def plan_mentor_meeting(
    uow: UnitOfWork, pair_id: int, person_id: int, days: int, now: datetime
) -> None:
    """Remind one side of a pair to log a meeting (once a day at most); the caller commits."""
    await schedule(
        uow,
        MENTOR_MEETING,
        person_id,
        f"mentor_meeting:{pair_id}:{person_id}:{now.date().isoformat()}",
        now,
        MeetingPayload(days),
        ref_type="pair",
        ref_id=pair_id,
    )
