"""services.broadcasts without Telegram: composing, the audience, sending and scheduling, the list
and stopping, and the sender's decisions (start once, lease, close, finish once)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot.factory import Database
from domain.audience import Audience, AudienceToggle, BroadcastStatus, DeliveryStatus, MediaKind
from domain.roles import Role
from services import broadcasts as service
from services.broadcasts import Admin, Draft
from services.regions import RegionRules, region_rules
from services.results import DENIED, STALE, Invalid
from services.uow import UnitOfWork
from storage.broadcasts import audience_user_ids
from storage.models import AuditEntry, Broadcast, BroadcastDelivery, Municipality, User
from tests.conftest import NOW, Clock


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


async def person(uow: UnitOfWork, telegram_id: int, **fields: object) -> User:
    values: dict[str, object] = {
        "locale": "ru",
        "consent_at": NOW,
        "profile_completed_at": NOW,
        "region_code": "kostroma",
        "subjects": ["math"],
        "birth_date": date(1980, 1, 1),
        "work_start_year": 2005,
    }
    values.update(fields)
    user = User(telegram_id=telegram_id, **values)
    uow.session.add(user)
    await uow.commit()
    return user


async def an_admin(uow: UnitOfWork, *, region: str | None = "kostroma", role: Role = Role.ADMIN) -> Admin:
    user = await person(uow, 9000, role="admin", region_code=region, profile_completed_at=None)
    return Admin(user, role, "kostroma")


async def municipality(uow: UnitOfWork, region: str) -> Municipality:
    place = await uow.session.scalar(
        select(Municipality).where(Municipality.region_code == region).order_by(Municipality.id)
    )
    assert place is not None
    return place


async def count(database: Database, model: type, *where: object) -> int:
    """Rows as another connection sees them: only what was committed."""
    async with database.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


# --- composing ----------------------------------------------------------------------------------------


def test_compose_a_text_a_photo_and_what_is_refused() -> None:
    draft = service.compose(text="Семинар <b>", caption=None, html="Семинар &lt;b&gt;")
    assert draft == Draft(text="Семинар &lt;b&gt;")
    photo = service.compose(
        text=None, caption=None, html="", media_kind=MediaKind.PHOTO, media_file_id="file-1"
    )
    assert photo == Draft(text="", media_kind=MediaKind.PHOTO, media_file_id="file-1")
    # A sticker, a voice, a video with a caption: no text, no photo or document: asked again.
    for text, caption in ((None, None), ("\u200b \u2800", None), (None, "подпись к видео")):
        assert service.compose(text=text, caption=caption, html=caption or "") == Invalid(
            "broadcast-ask-text", {"max": service.MAX_TEXT, "caption": service.MAX_CAPTION}
        )
    long = "я" * (service.MAX_CAPTION + 1)
    assert service.compose(
        text=None, caption=long, html=long, media_kind=MediaKind.DOCUMENT, media_file_id="f"
    ) == Invalid("broadcast-too-long", {"length": service.MAX_CAPTION + 1, "max": service.MAX_CAPTION})
    assert isinstance(service.compose(text=long, caption=None, html=long), Draft)  # a text may be longer


def test_link_button_and_the_draft_in_the_conversation() -> None:
    draft = Draft(text="Курс", audience=Audience(subjects=("math",), young_only=True))
    with_button = service.with_button(draft, "  Записаться   на курс | https://iro.example.ru/f ")
    assert isinstance(with_button, Draft)
    assert (with_button.button_text, with_button.button_url) == (
        "Записаться на курс",
        "https://iro.example.ru/f",
    )
    assert service.with_button(draft, "Ссылка http://x.ru") == Invalid(
        "broadcast-bad-button", {"max": service.MAX_BUTTON_TEXT}
    )
    assert service.without_button(with_button) == draft
    data = with_button.to_data()
    assert data["audience"] == {"subjects": ["math"], "young_only": True}
    assert Draft.from_data(data) == with_button
    assert Draft.from_data({}) == Draft()
    photo = Draft(media_kind=MediaKind.PHOTO, media_file_id="f")
    assert Draft.from_data(photo.to_data()).media_kind is MediaKind.PHOTO


# --- the audience ----------------------------------------------------------------------------------------


async def test_audience_counts_and_filters(uow: UnitOfWork) -> None:
    admin = await an_admin(uow)
    here = await municipality(uow, "kostroma")
    young = await person(uow, 1, birth_date=date(2000, 1, 1), work_start_year=2025, municipality_id=here.id)
    await person(uow, 2, role="methodist", subjects=["russian"])
    await person(uow, 3, region_code="kuzbass")

    view = await service.audience(uow, admin, Draft())
    assert isinstance(view, service.AudienceView) and view.count == 2 and view.municipalities == ()

    methodists = await service.toggle(uow, admin, Draft(), AudienceToggle.METHODISTS)
    assert isinstance(methodists, service.AudienceView)
    assert methodists.draft.audience.roles == ("methodist",) and methodists.count == 1
    back = await service.toggle(uow, admin, methodists.draft, AudienceToggle.METHODISTS)
    assert isinstance(back, service.AudienceView) and back.draft.audience == Audience()

    only_young = await service.toggle(uow, admin, Draft(), AudienceToggle.YOUNG)
    assert isinstance(only_young, service.AudienceView) and only_young.count == 1

    in_place = await service.choose_municipality(uow, admin, Draft(), here.id)
    assert isinstance(in_place, service.AudienceView)
    assert in_place.draft.audience.municipality_ids == (young.municipality_id,)
    assert in_place.municipalities == (here.name,) and in_place.count == 1
    anywhere = await service.choose_municipality(uow, admin, in_place.draft, 0)
    assert isinstance(anywhere, service.AudienceView) and anywhere.draft.audience.municipality_ids == ()

    math = await service.choose_subject(uow, admin, Draft(), "math")
    assert isinstance(math, service.AudienceView) and math.count == 1
    any_subject = await service.choose_subject(uow, admin, math.draft, "")
    assert isinstance(any_subject, service.AudienceView) and any_subject.draft.audience.subjects == ()


async def test_forged_audience_choices_are_stale(uow: UnitOfWork) -> None:
    admin = await an_admin(uow)
    elsewhere = await municipality(uow, "kuzbass")
    assert await service.choose_municipality(uow, admin, Draft(), elsewhere.id) is STALE
    assert await service.choose_municipality(uow, admin, Draft(), 2**31 - 1) is STALE
    assert await service.choose_subject(uow, admin, Draft(), "alchemy") is STALE


async def test_an_admin_without_a_region_composes_for_the_home_region(uow: UnitOfWork) -> None:
    admin = await an_admin(uow, region=None)
    await person(uow, 1)
    await person(uow, 2, region_code="kuzbass")
    view = await service.audience(uow, admin, Draft())
    assert isinstance(view, service.AudienceView) and view.count == 1
    places = await service.municipalities(uow, admin)
    assert places is not DENIED and places
    assert {p.region_code for p in places} == {"kostroma"} and len(places) <= service.MUNICIPALITIES_SHOWN


async def test_only_admins(uow: UnitOfWork, database: Database) -> None:
    methodist = await an_admin(uow, role=Role.METHODIST)
    rules = RegionRules()
    for outcome in (
        await service.audience(uow, methodist, Draft()),
        await service.toggle(uow, methodist, Draft(), AudienceToggle.YOUNG),
        await service.municipalities(uow, methodist),
        await service.choose_municipality(uow, methodist, Draft(), 0),
        await service.choose_subject(uow, methodist, Draft(), ""),
        await service.preview(uow, methodist, Draft(text="x"), service.Pace(25)),
        await service.send_now(uow, methodist, Draft(text="x")),
        await service.schedule_timezone(uow, methodist, rules),
        await service.schedule(uow, methodist, rules, Draft(text="x"), "23.11.2026 12:00"),
        await service.recent(uow, methodist),
        await service.stop(uow, methodist, 1),
    ):
        assert outcome is DENIED
    assert await count(database, Broadcast) == 0


# --- sending, scheduling, stopping ------------------------------------------------------------------


async def test_preview_and_send_now(uow: UnitOfWork, database: Database) -> None:
    admin = await an_admin(uow)
    await person(uow, 1)
    draft = Draft(text="<b>Семинар</b>", button_text="Записаться", button_url="https://x.ru/f")
    shown = await service.preview(uow, admin, draft, service.Pace(25))
    assert isinstance(shown, service.Preview) and shown.count == 1
    assert shown.estimate == service.Estimate(seconds=1 / 25, rate=25, stars=None)
    assert shown.broadcast.text == "<b>Семинар</b>" and shown.broadcast.id is None  # not stored
    assert await count(database, Broadcast) == 0

    queued = await service.send_now(uow, admin, draft)
    assert isinstance(queued, service.Queued)
    async with database.sessionmaker() as other:
        stored = await other.get(Broadcast, queued.broadcast.id)
        assert stored is not None
        assert (stored.status, stored.send_at, stored.region_code) == (
            BroadcastStatus.SCHEDULED,
            None,
            "kostroma",
        )
        assert (stored.created_by, stored.button_url) == (admin.user.id, "https://x.ru/f")
    assert await count(database, AuditEntry, AuditEntry.action == "broadcast.send") == 1


async def test_schedule_checks_the_time_in_the_regions_zone(uow: UnitOfWork, database: Database) -> None:
    admin = await an_admin(uow, region="kuzbass")
    home_rules = RegionRules(code=None, timezone="Europe/Moscow")  # the update's rules: not kuzbass
    kuzbass = await region_rules(uow, "kuzbass")
    assert await service.schedule_timezone(uow, admin, home_rules) == "Asia/Novokuznetsk"
    assert await service.schedule_timezone(uow, admin, kuzbass) == "Asia/Novokuznetsk"
    draft = Draft(text="Вебинар")
    tz = {"tz": "Asia/Novokuznetsk"}
    assert await service.schedule(uow, admin, kuzbass, draft, "завтра") == Invalid("broadcast-bad-time", tz)
    assert await service.schedule(uow, admin, kuzbass, draft, "31.02.2026 10:00") == Invalid(
        "broadcast-bad-time", tz
    )
    # 22.11.2026 16:30 in Novokuznetsk (UTC+7) is 09:30 UTC: the clock's now, not ahead.
    assert await service.schedule(uow, admin, kuzbass, draft, "22.11.2026 16:30") == Invalid(
        "broadcast-time-past", tz
    )
    scheduled = await service.schedule(uow, admin, kuzbass, draft, " 22.11.2026 16:31 ")
    assert isinstance(scheduled, service.Scheduled) and scheduled.timezone == "Asia/Novokuznetsk"
    assert scheduled.when.strftime(service.TIME_FORMAT) == "22.11.2026 16:31"
    async with database.sessionmaker() as other:
        stored = await other.get(Broadcast, scheduled.broadcast.id)
        assert stored is not None and stored.send_at == datetime(2026, 11, 22, 9, 31, tzinfo=UTC)
        assert stored.region_code == "kuzbass"
    assert await count(database, AuditEntry, AuditEntry.action == "broadcast.create") == 1


async def test_an_admin_without_a_region_schedules_in_the_home_regions_zone(uow: UnitOfWork) -> None:
    admin = Admin((await an_admin(uow, region=None)).user, Role.ADMIN, "kuzbass")
    assert (
        await service.schedule_timezone(uow, admin, RegionRules(timezone="Europe/Moscow"))
        == "Asia/Novokuznetsk"
    )


async def test_list_and_stop(uow: UnitOfWork, database: Database) -> None:
    admin = await an_admin(uow)
    first = await service.send_now(uow, admin, Draft(text="Первая"))
    second = await service.send_now(uow, admin, Draft(text="Вторая"))
    assert isinstance(first, service.Queued) and isinstance(second, service.Queued)
    stopped = await service.stop(uow, admin, first.broadcast.id)
    assert isinstance(stopped, service.Stopped) and stopped.broadcast.status == BroadcastStatus.CANCELLED
    assert await service.stop(uow, admin, first.broadcast.id) is STALE  # already stopped
    assert await service.stop(uow, admin, 2**31 - 1) is STALE
    listed = await service.recent(uow, admin)
    assert isinstance(listed, list)
    assert [(line.broadcast.id, line.stoppable) for line in listed] == [
        (second.broadcast.id, True),
        (first.broadcast.id, False),
    ]
    assert (
        listed[0].deliveries == {"pending": 0, "sent": 0, "blocked": 0, "failed": 0} and listed[0].total == 0
    )
    assert await count(database, AuditEntry, AuditEntry.action == "broadcast.cancel") == 1


# --- the sender's decisions --------------------------------------------------------------------------------


async def test_started_once_leased_closed_and_finished_once(
    uow: UnitOfWork, database: Database, clock: Clock
) -> None:
    admin = await an_admin(uow)
    people = [await person(uow, n) for n in (1, 2, 3, 4)]
    queued = await service.send_now(uow, admin, Draft(text="Всем"))
    assert isinstance(queued, service.Queued)
    bid = queued.broadcast.id

    assert await service.due(uow) == [service.Due(bid, to_start=True)]
    started = await service.start(uow, bid)
    assert isinstance(started, service.Started)
    assert started.recipients == 4 and started.creator is not None and started.creator.id == admin.user.id
    assert started.broadcast.status == BroadcastStatus.SENDING
    async with database.sessionmaker() as other:  # a second sender loses the claim
        assert await service.start(UnitOfWork(other, clock), bid) is None
    assert await service.due(uow) == [service.Due(bid, to_start=False)]
    await service.progress_message(uow, started.broadcast, 9000, 77)
    assert (started.broadcast.progress_chat_id, started.broadcast.progress_message_id) == (9000, 77)

    chunk = await service.lease(uow, bid, limit=3, lease_seconds=60)
    assert chunk is not None and len(chunk.rows) == 3
    async with database.sessionmaker() as other:  # held: another sender gets the rest only
        rest = await service.lease(UnitOfWork(other, clock), bid, limit=3, lease_seconds=60)
        assert rest is not None and len(rest.rows) == 1
    one, two, three = chunk.rows
    ready, closed = await service.recipients(uow, chunk.rows)
    assert closed == 0 and [r.delivery_id for r in ready] == [one.id, two.id, three.id]
    blocker = await uow.session.get(User, two.user_id)
    assert blocker is not None and ready[1].chat_id == blocker.telegram_id
    answers = [
        service.Outcome(one.id, "sent"),
        service.Outcome(two.id, "blocked"),
        service.Outcome(three.id, "retry", "Bad Gateway"),
    ]
    assert await service.record(uow, answers) == {"sent": 1, "blocked": 1, "retry": 1}  # one commit
    assert one.status == DeliveryStatus.SENT and one.sent_at == NOW
    assert two.status == DeliveryStatus.BLOCKED and blocker.blocked_at == NOW
    assert three.attempts == 1 and three.locked_until == NOW + service.backoff(1)
    three.attempts = service.RETRY_LIMIT - 1
    assert await service.record(uow, [service.Outcome(three.id, "retry", "Bad Gateway")]) == {"failed": 1}
    assert three.error == "Bad Gateway"
    assert await service.record(uow, [service.Outcome(one.id, "sent")]) == {}  # closed already: untouched

    progress = await service.progress(uow, chunk.broadcast)
    assert progress is not None and not progress.finished and progress.total == 4
    assert progress.deliveries == {"pending": 1, "sent": 1, "blocked": 1, "failed": 1}

    # The last person blocked the bot since: closed without sending; then the broadcast is done.
    [last] = [p for p in people if p.id not in {one.user_id, two.user_id, three.user_id}]
    last.blocked_at = NOW
    await uow.commit()
    async with database.sessionmaker() as other:
        row = await other.scalar(select(BroadcastDelivery).where(BroadcastDelivery.user_id == last.id))
        assert row is not None
        assert await service.recipients(UnitOfWork(other, clock), [row]) == ([], 1)
        assert row.status == DeliveryStatus.BLOCKED and row.error == "blocked before sending"
    done = await service.progress(uow, chunk.broadcast)
    assert done is not None and done.finished and done.deliveries[DeliveryStatus.PENDING] == 0
    assert chunk.broadcast.status == BroadcastStatus.DONE and chunk.broadcast.finished_at == NOW
    assert await service.progress(uow, chunk.broadcast) is None  # finished once
    assert await service.lease(uow, bid, limit=3, lease_seconds=60) is None
    assert await service.due(uow) == []


async def test_a_stopped_broadcast_is_not_leased_and_rows_come_back(uow: UnitOfWork, clock: Clock) -> None:
    admin = await an_admin(uow)
    await person(uow, 1)
    queued = await service.send_now(uow, admin, Draft(text="x"))
    assert isinstance(queued, service.Queued)
    assert await service.start(uow, queued.broadcast.id) is not None
    chunk = await service.lease(uow, queued.broadcast.id, limit=5, lease_seconds=60)
    assert chunk is not None and len(chunk.rows) == 1
    assert await service.record(uow, [service.Outcome(chunk.rows[0].id, "retry_after")]) == {"retry_after": 1}
    again = await service.lease(uow, queued.broadcast.id, limit=5, lease_seconds=60)
    assert again is not None and [r.id for r in again.rows] == [chunk.rows[0].id]
    assert isinstance(await service.stop(uow, admin, queued.broadcast.id), service.Stopped)
    assert await service.lease(uow, queued.broadcast.id, limit=5, lease_seconds=60) is None


async def test_a_teachers_filter_reaches_teachers_and_staff_who_teach_only(uow: UnitOfWork) -> None:
    admin = await an_admin(uow)
    teacher = await person(uow, 1)
    await person(uow, 2, role="methodist")  # a methodist who does not teach
    teaching = await person(uow, 3, role="methodist", also_teacher=True)
    no_diagnosis = await service.toggle(uow, admin, Draft(), AudienceToggle.NO_DIAGNOSIS)
    assert isinstance(no_diagnosis, service.AudienceView) and no_diagnosis.count == 2
    ids = await audience_user_ids(uow.session, {"roles": ["teacher"]}, "kostroma", NOW.date())
    assert ids == [teacher.id, teaching.id]
    everyone = await audience_user_ids(uow.session, {}, "kostroma", NOW.date())
    assert len(everyone) == 3  # no filter: everyone, staff too
