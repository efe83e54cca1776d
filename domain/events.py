"""Events (seminars, webinars…): kinds, the admin wizard's validation, seats. Pure, no i18n.

Validation errors carry a locale key (``EventError.code``); the handler shows it and asks again.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo


class Kind(StrEnum):
    """What an event is; the same codes as the catalogue import (storage.importers.EVENT_KINDS)."""

    SEMINAR = "seminar"
    WEBINAR = "webinar"
    MASTER_CLASS = "master_class"
    CONFERENCE = "conference"
    READINGS = "readings"
    CONTEST = "contest"
    ROUND_TABLE = "round_table"
    OPEN_LESSON = "open_lesson"


KINDS: tuple[Kind, ...] = tuple(Kind)


class Rsvp(StrEnum):
    """What «Пойду» / «Не смогу» did: ``SAME`` nothing changed, ``FULL`` no seat was left."""

    GOING = "going"
    NOT_GOING = "not_going"
    SAME = "same"
    FULL = "full"


class Audience(StrEnum):
    """Whom an event is announced to: every teacher of the region, or those of its subjects."""

    ALL = "all"
    SUBJECTS = "subjects"


TITLE_MAX = 300
PLACE_MAX = 500
DESCRIPTION_MAX = 3000
DURATION_MIN, DURATION_MAX = 10, 1440
DURATION_CHOICES: tuple[int, ...] = (60, 90, 120, 180)
SEATS_MIN, SEATS_MAX = 1, 100_000
MAX_AHEAD = timedelta(days=730)
START_FORMAT = "%d.%m.%Y %H:%M"

_START_RE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2})[:.](\d{2})\s*$")
_MINUTES_RE = re.compile(r"^\s*(\d{1,6})\s*(мин\.?|минут[а-я]*|min\.?|minutes?)?\s*$", re.IGNORECASE)
_NUMBER_RE = re.compile(r"^\s*(\d{1,9})\s*$")


class EventError(ValueError):
    """An invalid answer; ``code`` is the locale key of the message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_title(text: str | None) -> str:
    title = " ".join((text or "").split())
    if not title:
        raise EventError("event-err-title-empty")
    if len(title) > TITLE_MAX:
        raise EventError("event-err-title-long")
    return title


def parse_start(text: str | None, zone: ZoneInfo, now: datetime) -> datetime:
    """«DD.MM.YYYY HH:MM» in the region's time zone → an aware UTC moment in the future."""
    match = _START_RE.match(text or "")
    if match is None:
        raise EventError("event-err-start-format")
    day, month, year, hour, minute = (int(g) for g in match.groups())
    try:
        local = datetime(year, month, day, hour, minute, tzinfo=zone)
    except ValueError as exc:
        raise EventError("event-err-start-invalid") from exc
    moment = local.astimezone(UTC)
    if moment <= now:
        raise EventError("event-err-start-past")
    if moment - now > MAX_AHEAD:
        raise EventError("event-err-start-far")
    return moment


def parse_duration(text: str | None) -> int:
    match = _MINUTES_RE.match(text or "")
    if match is None:
        raise EventError("event-err-duration-format")
    minutes = int(match.group(1))
    if not DURATION_MIN <= minutes <= DURATION_MAX:
        raise EventError("event-err-duration-range")
    return minutes


def check_duration(minutes: int) -> int:
    if not DURATION_MIN <= minutes <= DURATION_MAX:
        raise EventError("event-err-duration-range")
    return minutes


def parse_place(text: str | None) -> tuple[str | None, str | None]:
    """An address (``place``) or an https link (``url``): ``(place, url)``, one of them set."""
    value = " ".join((text or "").split())
    if not value:
        raise EventError("event-err-place-empty")
    lowered = value.lower()
    if lowered.startswith(("http://", "https://", "www.")) or "://" in value.split(" ")[0]:
        if not lowered.startswith("https://"):
            raise EventError("event-err-link-https")
        if " " in value or len(value) > PLACE_MAX:
            raise EventError("event-err-link-bad")
        parts = urlsplit(value)
        host = parts.hostname or ""
        if "." not in host or host.startswith(".") or host.endswith("."):
            raise EventError("event-err-link-bad")
        return None, value
    if len(value) > PLACE_MAX:
        raise EventError("event-err-place-long")
    return value, None


def parse_seats(text: str | None) -> int:
    match = _NUMBER_RE.match(text or "")
    if match is None:
        raise EventError("event-err-seats-format")
    seats = int(match.group(1))
    if not SEATS_MIN <= seats <= SEATS_MAX:
        raise EventError("event-err-seats-range")
    return seats


def parse_description(text: str | None) -> str:
    value = (text or "").strip()
    if not value:
        raise EventError("event-err-description-empty")
    if len(value) > DESCRIPTION_MAX:
        raise EventError("event-err-description-long")
    return value


# --- seats ----------------------------------------------------------------------------------------


def can_go(seats: int | None, going_count: int) -> bool:
    """Whether one more person fits (``seats`` None: no limit)."""
    return seats is None or going_count < seats


def seats_left(seats: int | None, going_count: int) -> int | None:
    return None if seats is None else max(0, seats - going_count)


# --- time and formatting --------------------------------------------------------------------------


def has_started(starts_at: datetime, now: datetime) -> bool:
    return starts_at <= now


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime(START_FORMAT)


def utc_offset(moment: datetime, zone: ZoneInfo) -> str:
    """«UTC+7», «UTC+3», «UTC+5:30» — the zone's offset at that moment."""
    offset = moment.astimezone(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def duration_parts(minutes: int) -> tuple[int, int]:
    """(hours, minutes) of a duration."""
    return divmod(minutes, 60)
