"""SQLAlchemy 2 typed models. Times are stored in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    or_,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from domain.accounts import Account

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, whatever the engine (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Region(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    # The validated configuration as loaded (thresholds, targets, organisations, labels).
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Municipality(Base):
    __tablename__ = "municipalities"
    __table_args__ = (UniqueConstraint("region_code", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    # The municipality's own methodical service (ММС), when the region file names one.
    methodical_service: Mapped[str | None] = mapped_column(String(300))


class School(Base):
    __tablename__ = "schools"
    __table_args__ = (UniqueConstraint("municipality_id", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    internship_site_years: Mapped[list[int]] = mapped_column(JSON, default=list)


class User(Base):
    """A person who consented to the processing of personal data. Nobody else is stored."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("messenger", "telegram_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The person's account: the messenger ("telegram" or "max") and their id there (the column
    # keeps its first name; on MAX it holds the MAX user id).
    messenger: Mapped[str] = mapped_column(String(10), default="telegram", server_default="telegram")
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    locale: Mapped[str] = mapped_column(String(5))
    role: Mapped[str] = mapped_column(String(20), default="teacher")
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    profile_completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    full_name: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(20))
    region_code: Mapped[str | None] = mapped_column(
        ForeignKey("regions.code", ondelete="SET NULL"), index=True
    )
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="SET NULL"), index=True
    )
    municipality_custom: Mapped[str | None] = mapped_column(String(300))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="SET NULL"), index=True)
    school_custom: Mapped[str | None] = mapped_column(String(300))
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    birth_date: Mapped[date | None] = mapped_column(Date)
    work_start_year: Mapped[int | None] = mapped_column(Integer)
    qualification: Mapped[str | None] = mapped_column(String(20))
    # A staff profile (methodists, admins): the role title (domain.roles.StaffTitle), the
    # organisation typed, and «Я тоже педагог» (None: not answered yet). Staff count as teachers
    # only with ``also_teacher``; the teacher's columns above are then theirs too.
    staff_title: Mapped[str | None] = mapped_column(String(30))
    organisation: Mapped[str | None] = mapped_column(String(300))
    also_teacher: Mapped[bool | None] = mapped_column(Boolean)
    # Last update from this person (at most one write an hour): inactivity reminders and digests.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The linked account (``linked_accounts``) the person last wrote from, when it is not their
    # own: what is sent to them goes there (``reach``). None: their own account.
    last_messenger: Mapped[str | None] = mapped_column(String(10))
    last_external_id: Mapped[int | None] = mapped_column(BigInteger)
    # Reminder kinds the person switched off in «Профиль → Уведомления».
    notify_off: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Telegram answered 403: the person blocked the bot; nothing more is sent until they write again.
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    region: Mapped[Region | None] = relationship(lazy="raise")
    municipality: Mapped[Municipality | None] = relationship(lazy="raise")
    school: Mapped[School | None] = relationship(lazy="raise")

    @classmethod
    def teaches(cls) -> Any:
        """The SQL condition «counted as a teacher» (``domain.roles.counts_as_teacher``): a
        teacher, or a methodist or admin who also teaches."""
        return or_(cls.role == "teacher", cls.also_teacher.is_(True))

    @property
    def reach(self) -> Account:
        """Where what is sent to the person goes: the account they last wrote from (their own,
        or one they linked). Reminders, hand-offs and broadcasts reach them there, once."""
        if self.last_messenger is not None and self.last_external_id is not None:
            return Account(self.last_messenger, self.last_external_id)
        return Account(self.messenger, self.telegram_id)


class Invite(Base):
    """A single-use, expiring deep link that grants a role."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Diagnosis(Base):
    """One diagnosis of a teacher: a self-diagnosis (a preliminary request), or an official ЦНППМ
    result — entered by a methodist or imported — stored as ЦНППМ recorded it: a result 0–100 per
    area in ``scores``, its deficits in ``deficits``, the instrument, the date at noon UTC."""

    __tablename__ = "diagnoses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(10), default="self")  # self | cnppm
    framework_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default="in_progress")  # in_progress | done
    # Index of the statement being asked; answers are stored as they are given.
    position: Mapped[int] = mapped_column(Integer, default=0)
    manager: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # area code → 0..100 or None
    deficits: Mapped[list[str]] = mapped_column(JSON, default=list)
    strengths: Mapped[list[str]] = mapped_column(JSON, default=list)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The diagnostic instrument ЦНППМ used (official results only).
    instrument: Mapped[str | None] = mapped_column(String(200))


class DiagnosisAnswer(Base):
    __tablename__ = "diagnosis_answers"
    __table_args__ = (UniqueConstraint("diagnosis_id", "statement_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    diagnosis_id: Mapped[int] = mapped_column(ForeignKey("diagnoses.id", ondelete="CASCADE"), index=True)
    statement_id: Mapped[str] = mapped_column(String(20))
    level: Mapped[int] = mapped_column(Integer)  # 1..4, 0 = «Не применимо»
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Program(Base):
    """A ДПП programme (повышение квалификации); ``federal_registry`` marks ФР ДПП."""

    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    provider: Mapped[str] = mapped_column(String(300))
    hours: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(12))  # ochno | distance | mixed
    federal_registry: Mapped[bool] = mapped_column(default=False)
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    url: Mapped[str | None] = mapped_column(String(500))
    region_code: Mapped[str | None] = mapped_column(
        ForeignKey("regions.code", ondelete="CASCADE"), index=True
    )


class InternshipSite(Base):
    """A стажировочная площадка: an organisation that hosts internships on given topics."""

    __tablename__ = "internship_sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(60), unique=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code", ondelete="CASCADE"), index=True)
    organisation: Mapped[str] = mapped_column(String(300))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id", ondelete="SET NULL"))
    topic: Mapped[str] = mapped_column(String(500))
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    seats: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(12), default="ochno")
    contact: Mapped[str | None] = mapped_column(String(300))

    municipality: Mapped[Municipality | None] = relationship(lazy="raise")


class InternshipApplication(Base):
    __tablename__ = "internship_applications"
    __table_args__ = (UniqueConstraint("site_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("internship_sites.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="applied")  # ApplicationStatus
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The answer of the teacher's methodist (or, with none, of an admin of the region), and when the
    # teacher saw it in «Входящие».
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Event(Base):
    """A seminar, webinar, master class, conference… announced to teachers."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(60), unique=True)
    region_code: Mapped[str | None] = mapped_column(
        ForeignKey("regions.code", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(30))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=90)
    place: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(500))
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    seats: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Route(Base):
    """An individual educational route (ИОМ)."""

    __tablename__ = "routes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    diagnosis_id: Mapped[int | None] = mapped_column(ForeignKey("diagnoses.id", ondelete="SET NULL"))
    # draft | submitted (на согласовании) | returned | active | completed
    status: Mapped[str] = mapped_column(String(12), default="draft")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str | None] = mapped_column(Text)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    # The diagnosis the route was drafted from (its basis: ЦНППМ's, or a self-diagnosis).
    diagnosis: Mapped[Diagnosis | None] = relationship(lazy="raise")
    items: Mapped[list[RouteItem]] = relationship(
        back_populates="route",
        lazy="raise",
        order_by="RouteItem.due_on, RouteItem.id",
        cascade="all, delete-orphan",
    )


class RouteItem(Base):
    __tablename__ = "route_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("routes.id", ondelete="CASCADE"), index=True)
    area: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))  # course | internship | event | association | ...
    form: Mapped[str] = mapped_column(String(12))  # formal | nonformal | informal
    title: Mapped[str] = mapped_column(String(500))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="SET NULL"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("internship_sites.id", ondelete="SET NULL"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    hours: Mapped[int] = mapped_column(Integer, default=0)
    due_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {"key": ..., "args": {...}}
    status: Mapped[str] = mapped_column(String(10), default="planned")  # planned | done
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    evidence_kind: Mapped[str | None] = mapped_column(String(12))  # document | photo | link | text
    evidence: Mapped[str | None] = mapped_column(Text)  # file id, link or reflection
    evidence_name: Mapped[str | None] = mapped_column(String(300))
    # The methodist confirmed the transfer of what was learnt into practice.
    transfer_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    transfer_confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    route: Mapped[Route] = relationship(back_populates="items", lazy="raise")


class MentorProfile(Base):
    """A teacher in the mentor registry: opted in, nominated by a methodist, or imported."""

    __tablename__ = "mentor_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(12), default="opt_in")  # opt_in | nominated | imported
    active: Mapped[bool] = mapped_column(default=True)
    capacity: Mapped[int | None] = mapped_column(Integer)  # None: the region's default
    # What the mentor agreed to show a mentee after accepting (phone, e-mail…); Telegram is always given.
    contact: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MentorRequest(Base):
    __tablename__ = "mentor_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    form: Mapped[str] = mapped_column(String(12))  # young | peer | management
    area: Mapped[str | None] = mapped_column(String(20))  # the competence a peer pair is about
    # pending | accepted | declined | expired | cancelled
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    message: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MentorPair(Base):
    __tablename__ = "mentor_pairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    form: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(8), default="active", index=True)  # active | closed
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)  # competence areas
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(1000))
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MentorMeeting(Base):
    __tablename__ = "mentor_meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentor_pairs.id", ondelete="CASCADE"), index=True)
    logged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    met_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Caseload(Base):
    """Which methodist accompanies a teacher (one methodist per teacher)."""

    __tablename__ = "caseloads"

    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    methodist_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(8), default="rule")  # rule | admin
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class MethodistSettings(Base):
    __tablename__ = "methodist_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    digest_time: Mapped[str] = mapped_column(String(5), default="08:30")  # HH:MM, the methodist's local time
    # On a day with nothing new: "short" (one line) or "none" (no message).
    quiet_days: Mapped[str] = mapped_column(String(5), default="short")


class OutboxMessage(Base):
    """A message to send later (a reminder, a digest), written in the transaction of its cause.

    ``key`` makes a reminder unique (e.g. ``item_due_7:42``): planning twice never queues twice.
    A sender leases due rows (``locked_until``), sends, and marks each one sent at once.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(100), unique=True)
    ref_type: Mapped[str | None] = mapped_column(String(20))
    ref_id: Mapped[int | None] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # pending | sent | cancelled | failed
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(300))


class Broadcast(Base):
    """An announcement to an audience, sent at Telegram's pace (see bot/broadcast.py)."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    region_code: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)  # HTML, as previewed
    media_kind: Mapped[str | None] = mapped_column(String(10))  # photo | document
    media_file_id: Mapped[str | None] = mapped_column(String(300))
    button_text: Mapped[str | None] = mapped_column(String(64))
    button_url: Mapped[str | None] = mapped_column(String(500))
    # An event announcement carries «Пойду» / «Не смогу» under the message.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # draft | scheduled | sending | done | cancelled
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The admin's live progress message, edited every few seconds.
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(Integer)
    # The same message as its messenger names it ("max:mid.…", "telegram:42"): MAX's ids are
    # strings, which any process resolves (``bot.messengers.message_ref``).
    progress_message_ref: Mapped[str | None] = mapped_column(String(200))


class BroadcastDelivery(Base):
    """One recipient of a broadcast, written before sending: unique, so never sent twice."""

    __tablename__ = "broadcast_deliveries"
    __table_args__ = (UniqueConstraint("broadcast_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # pending | sent | blocked | failed
    status: Mapped[str] = mapped_column(String(8), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(300))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ProfessionalRecord(Base):
    """A fact the municipal indicators count (``domain.records``): a person's or a school's
    participation in a конкурс профессионального мастерства, a school's presented опыт, a person's
    role as тьютор/эксперт/член жюри. Exactly one of ``user_id`` and ``school_id`` is set."""

    __tablename__ = "professional_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # RecordKind
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(16))  # Level
    title: Mapped[str] = mapped_column(String(300))  # the contest, the topic of the опыт, the body served
    result: Mapped[str | None] = mapped_column(String(16))  # ContestResult (contest) | ExpertRole (role)
    happened_on: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(10), default="manual")  # RecordSource
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CnppmPending(Base):
    """A row of an imported ЦНППМ result for a person not (yet) in the bot, kept until someone of
    that ФИО and organisation registers in the region (``storage.cnppm_import``)."""

    __tablename__ = "cnppm_pending"
    __table_args__ = (
        UniqueConstraint(
            "region_code", "person_key", "organisation_key", "taken_on", "instrument_key", "area"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(300))
    person_key: Mapped[str] = mapped_column(String(200), index=True)  # the ФИО as compared
    organisation_key: Mapped[str] = mapped_column(String(300))
    taken_on: Mapped[date] = mapped_column(Date)
    instrument: Mapped[str] = mapped_column(String(200))
    instrument_key: Mapped[str] = mapped_column(String(200))
    framework_version: Mapped[str] = mapped_column(String(40))
    area: Mapped[str] = mapped_column(String(20))
    result: Mapped[int] = mapped_column(Integer)  # 0..100
    deficit: Mapped[bool] = mapped_column(Boolean)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OfficialStatistics(Base):
    """Official totals of one unit for one year («данные официальной статистики»): the denominators
    of the indicators' shares (``domain.indicators.OfficialCounts``). ``unit`` is "region",
    "m<municipality id>" or "s<school id>"; a count not given is NULL."""

    __tablename__ = "official_statistics"
    __table_args__ = (UniqueConstraint("region_code", "year", "unit"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    teachers: Mapped[int | None] = mapped_column(Integer)
    managers: Mapped[int | None] = mapped_column(Integer)
    schools: Mapped[int | None] = mapped_column(Integer)
    management_teams: Mapped[int | None] = mapped_column(Integer)
    young_teachers: Mapped[int | None] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventResponse(Base):
    """RSVP to an event («Пойду» / «Не смогу») and the attendance marked afterwards."""

    __tablename__ = "event_responses"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    going: Mapped[bool] = mapped_column(default=True)
    attended: Mapped[bool | None] = mapped_column()
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(Base):
    """Who did what, when: every admin and methodist action that changes something."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str | None] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class LinkedAccount(Base):
    """Another messenger account of a person, linked with a one-time code (``domain.accounts``):
    updates from it are that person's. What is sent to them goes to the account they last wrote
    from (``User.reach``)."""

    __tablename__ = "linked_accounts"
    __table_args__ = (UniqueConstraint("messenger", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    messenger: Mapped[str] = mapped_column(String(10))
    external_id: Mapped[int] = mapped_column(BigInteger)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LinkCode(Base):
    """A one-time code to link another messenger's account to this person."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FsmRecord(Base):
    """aiogram FSM state and data, so a conversation survives a restart."""

    __tablename__ = "fsm_states"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    # The Telegram user the key belongs to, so /forget can remove it.
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    state: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
