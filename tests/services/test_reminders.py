"""The registry of reminder kinds, without Telegram: what each kind plans (typed payloads), whether
it still applies when due, the neutral view it is shown as, and the person's side (snooze, groups)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.factory import Database
from domain.reminders import GROUPS, HANDOFFS, OutboxStatus
from locales import message_keys
from services.regions import RegionRules, region_rules
from services.reminders import (
    KINDS,
    Action,
    AnswerRequest,
    Button,
    ByLocale,
    Mention,
    OpenMentorPair,
    OpenMentorship,
    OpenRoute,
    OpenRouteItem,
    OpenTeacherCard,
    ResumeDiagnosis,
    Snooze,
    StartDiagnosis,
    Term,
    Terms,
    View,
    hand_off,
    kinds,
    plan_event,
    plan_mentor_meeting,
    plan_rediagnosis,
    plan_route_approval,
    plan_route_items,
    plan_unfinished_diagnosis,
    sending,
)
from services.reminders import preferences as prefs
from services.reminders.handoff import HandoffPayload
from services.results import STALE
from services.uow import UnitOfWork
from storage.models import Caseload, Diagnosis, Event, MentorPair, OutboxMessage, Route, RouteItem, User
from storage.outbox import Outbox
from tests.conftest import Clock

RULES = RegionRules(code="kostroma")


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


async def person(uow: UnitOfWork, telegram_id: int = 1001, **fields: Any) -> User:
    user = User(
        telegram_id=telegram_id,
        locale="ru",
        consent_at=uow.now(),
        region_code="kostroma",
        last_seen_at=uow.now(),
        full_name=f"Человек {telegram_id}",
        **fields,
    )
    uow.session.add(user)
    await uow.flush()
    return user


async def rows(uow: UnitOfWork, kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(await uow.session.scalars(query))


async def compose_at(uow: UnitOfWork, clock: Clock, row: OutboxMessage, when: datetime) -> Any:
    clock.now = when
    user = await uow.session.get(User, row.user_id)
    assert user is not None
    return await sending.compose(uow, row, sending.Ready(user, RULES))


def assert_keys_exist(view: View) -> None:
    for locale in ("ru", "en"):
        keys = message_keys(locale)
        assert view.text in keys and all(b.label in keys for b in view.buttons)


def _button(label: str, action: Action) -> Button:
    return Button(label, action)


def _snooze_buttons(row: OutboxMessage) -> tuple[Button, ...]:
    """What every snoozable reminder offers under it."""
    return (
        Button("remind-btn-snooze-1", Snooze(row.id, 1)),
        Button("remind-btn-snooze-7", Snooze(row.id, 7)),
    )


# --- the registry -------------------------------------------------------------------------------------


def test_every_kind_is_declared_once_in_a_group_a_person_can_switch_off() -> None:
    """Every reminder is in a group a person can switch off; hand-offs are in none."""
    assert set(KINDS) == {
        "handoff",
        "diagnosis_unfinished",
        "rediagnosis",
        "item_due_7",
        "item_due_1",
        "item_overdue",
        "route_approval",
        "mentor_meeting",
        "event_day",
        "event_hour",
        "inactivity",
        "digest",
    }
    assert {kind.group for kind in kinds()} == {*GROUPS, HANDOFFS}
    assert [kind.names for kind in kinds() if not kind.quiet_hours] == [("handoff",)]
    assert sorted(name for kind in kinds() for name in kind.names) == sorted(KINDS)


# --- planning, applicability and views, kind by kind ---------------------------------------------------


async def test_unfinished_diagnosis(uow: UnitOfWork, clock: Clock) -> None:
    user = await person(uow)
    diagnosis = Diagnosis(user_id=user.id, framework_version="efs-2026", started_at=clock.now, position=4)
    uow.session.add(diagnosis)
    await uow.flush()
    await plan_unfinished_diagnosis(uow, RULES, user.id, diagnosis)
    [row] = await rows(uow)
    assert (row.kind, row.due_at, row.ref_id, row.payload) == (
        "diagnosis_unfinished",
        clock.now + timedelta(days=2),
        diagnosis.id,
        {},
    )
    view = await compose_at(uow, clock, row, row.due_at)
    assert view == View(
        "remind-diagnosis-unfinished",
        {"done": 4},
        (_button("diag-btn-resume", ResumeDiagnosis(diagnosis.id)), *_snooze_buttons(row)),
    )
    assert_keys_exist(view)
    diagnosis.status = "done"
    assert await compose_at(uow, clock, row, row.due_at) is None


async def test_rediagnosis_only_while_its_diagnosis_is_the_latest(uow: UnitOfWork, clock: Clock) -> None:
    user = await person(uow)
    first = Diagnosis(user_id=user.id, framework_version="efs-2026", status="done", finished_at=clock.now)
    uow.session.add(first)
    await uow.flush()
    await plan_rediagnosis(uow, RULES, user.id, first)
    [row] = await rows(uow)
    assert row.due_at == datetime(2027, 11, 22, 7, 0, tzinfo=UTC)  # 10:00 in Moscow, a year on
    view = await compose_at(uow, clock, row, row.due_at)
    assert view.text == "remind-rediagnosis" and view.args == {"date": date(2026, 11, 22)}
    assert view.buttons[0] == _button("diag-btn-again", StartDiagnosis())
    assert_keys_exist(view)
    uow.session.add(Diagnosis(user_id=user.id, framework_version="efs-2026", status="done"))
    await uow.flush()
    assert await compose_at(uow, clock, row, row.due_at) is None


async def route_with_item(uow: UnitOfWork, user: User, due_on: date, status: str = "active") -> RouteItem:
    route = Route(user_id=user.id, status=status, starts_on=date(2026, 11, 1), ends_on=date(2027, 6, 1))
    uow.session.add(route)
    await uow.flush()
    item = RouteItem(
        route_id=route.id, area="methodical", kind="course", form="formal", title="Курс", due_on=due_on
    )
    uow.session.add(item)
    await uow.flush()
    return item


async def test_route_item_reminders_carry_their_date_and_lead_time(uow: UnitOfWork, clock: Clock) -> None:
    user = await person(uow)
    item = await route_with_item(uow, user, date(2027, 3, 15))
    await plan_route_items(uow, RULES, user.id, [item])
    week, day, overdue = await rows(uow)
    assert [r.kind for r in (week, day, overdue)] == ["item_due_7", "item_due_1", "item_overdue"]
    assert week.payload == {"days": 7, "all": [7, 1], "due_on": "2027-03-15"}
    assert overdue.payload == {"days": -1, "all": [7, 1], "due_on": "2027-03-15"}
    view = await compose_at(uow, clock, week, week.due_at)
    assert view == View(
        "remind-item-due",
        {"title": "Курс", "date": date(2027, 3, 15), "days": 7},
        (_button("remind-btn-open-item", OpenRouteItem(item.route_id, item.id)), *_snooze_buttons(week)),
    )
    assert_keys_exist(view)
    # A sender that was down: on the day before, the 7-day reminder has been taken over by the 1-day one.
    assert await compose_at(uow, clock, week, day.due_at) is None
    assert (await compose_at(uow, clock, day, day.due_at)).args["days"] == 1
    late = await compose_at(uow, clock, overdue, overdue.due_at)
    assert late.text == "remind-item-overdue" and late.args["days"] == 0
    item.status = "done"
    assert await compose_at(uow, clock, day, day.due_at) is None


async def test_a_snoozed_item_reminder_still_arrives(uow: UnitOfWork, clock: Clock) -> None:
    """The old renderer read the date back from the key's tail, which a snoozed copy's key ends
    with the snooze date instead: snoozed item reminders were silently dropped."""
    user = await person(uow)
    item = await route_with_item(uow, user, date(2027, 3, 15))
    await plan_route_items(uow, RULES, user.id, [item])
    week = (await rows(uow))[0]
    clock.now = week.due_at
    assert await prefs.snooze(uow, user.id, week.id, 1) == prefs.Snoozed(1)
    snoozed = (await rows(uow))[-1]
    assert snoozed.key.endswith(":snooze:2027-03-08") and snoozed.due_at == week.due_at + timedelta(days=1)
    view = await compose_at(uow, clock, snoozed, snoozed.due_at)
    assert view is not None and view.args["days"] == 6


async def test_a_new_date_replaces_the_item_reminders(uow: UnitOfWork, clock: Clock) -> None:
    user = await person(uow)
    item = await route_with_item(uow, user, date(2027, 3, 15))
    await plan_route_items(uow, RULES, user.id, [item])
    old_week = (await rows(uow))[0]
    item.due_on = date(2027, 4, 1)
    await plan_route_items(uow, RULES, user.id, [item])
    await uow.session.refresh(old_week)
    assert old_week.status == OutboxStatus.CANCELLED
    pending = [r for r in await rows(uow) if r.status == OutboxStatus.PENDING]
    assert {r.payload["due_on"] for r in pending} == {"2027-04-01"}
    # Even a row that escaped the cancelling would not remind of the old date.
    assert await compose_at(uow, clock, old_week, old_week.due_at) is None


async def test_item_rows_queued_before_the_upgrade_are_read(uow: UnitOfWork, clock: Clock) -> None:
    user = await person(uow)
    item = await route_with_item(uow, user, date(2027, 3, 15))
    row = await Outbox(uow.session).schedule(
        user.id,
        "item_due_1",
        f"item_due_1:{item.id}:2027-03-15",
        datetime(2027, 3, 14, 7, 0, tzinfo=UTC),
        ref_type="item",
        ref_id=item.id,
        payload={"days": 1, "all": [7, 1]},
    )
    view = await compose_at(uow, clock, row, row.due_at)
    assert view is not None and view.text == "remind-item-due" and view.args["days"] == 1


async def test_route_approval_reaches_the_methodist_while_the_route_waits(
    uow: UnitOfWork, clock: Clock
) -> None:
    teacher = await person(uow)
    methodist = await person(uow, 5001, role="methodist")
    item = await route_with_item(uow, teacher, date(2027, 3, 15), status="submitted")
    route = await uow.session.get(Route, item.route_id)
    assert route is not None
    await plan_route_approval(uow, route, clock.now)
    assert await rows(uow, "route_approval") == []  # no methodist accompanies the teacher yet
    uow.session.add(Caseload(teacher_id=teacher.id, methodist_id=methodist.id))
    await uow.flush()
    await plan_route_approval(uow, route, clock.now)
    [row] = await rows(uow, "route_approval")
    assert row.user_id == methodist.id
    view = await compose_at(uow, clock, row, row.due_at)
    assert view == View(
        "remind-route-approval",
        {"name": "Человек 1001"},
        (_button("remind-btn-open-teacher", OpenTeacherCard(teacher.id)),),
    )  # not snoozable
    assert_keys_exist(view)
    route.status = "approved"
    assert await compose_at(uow, clock, row, row.due_at) is None


async def test_mentor_meeting_planned_either_way(uow: UnitOfWork, clock: Clock) -> None:
    mentee = await person(uow)
    mentor = await person(uow, 1002)
    pair = MentorPair(mentee_id=mentee.id, mentor_id=mentor.id, form="teacher")
    uow.session.add(pair)
    await uow.flush()
    await plan_mentor_meeting(uow, pair.id, mentee.id, 21, clock.now)
    # The mentorship tick's own call shape (a plain payload) is read the same way.
    await Outbox(uow.session).schedule(
        mentor.id,
        "mentor_meeting",
        f"mentor_meeting:{pair.id}:{mentor.id}:x",
        clock.now,
        ref_type="pair",
        ref_id=pair.id,
        payload={"days": 21},
    )
    to_mentee, to_mentor = await rows(uow)
    for row, other in ((to_mentee, "Человек 1002"), (to_mentor, "Человек 1001")):
        view = await compose_at(uow, clock, row, clock.now)
        assert view == View(
            "mentor-meeting-reminder",
            {"name": other, "days": 21},
            (_button("mentor-btn-open-pair", OpenMentorPair(pair.id)), *_snooze_buttons(row)),
        )
        assert_keys_exist(view)
    pair.status = "closed"
    assert await compose_at(uow, clock, to_mentee, clock.now) is None


async def test_event_reminders_in_local_time_never_after_the_start(uow: UnitOfWork, clock: Clock) -> None:
    user = await person(uow)
    starts = datetime(2026, 11, 24, 4, 30, tzinfo=UTC)  # 07:30 in Moscow
    event = Event(external_id="e1", title="Семинар", kind="seminar", starts_at=starts, place="Школа №1")
    uow.session.add(event)
    await uow.flush()
    await plan_event(uow, RULES, user.id, event)
    day, hour = await rows(uow)
    assert day.payload == {"expires_at": starts.isoformat()}
    view = await compose_at(uow, clock, day, day.due_at)
    assert view == View(
        "remind-event-day", {"title": "Семинар", "when": "24.11.2026 07:30", "place": "Школа №1"}
    )
    assert_keys_exist(view)
    assert (await compose_at(uow, clock, hour, hour.due_at)).text == "remind-event-hour"
    assert await compose_at(uow, clock, hour, starts) is None
    # The hour before is 06:30 local, in the quiet hours until 08:00, after the start: cancelled.
    clock.now = hour.due_at
    assert await sending.prepare(uow, hour, "Europe/Moscow") == sending.Closed(OutboxStatus.CANCELLED)
    assert hour.error == "quiet hours until it no longer matters"


async def test_inactivity_planned_once_per_absence(uow: UnitOfWork, clock: Clock) -> None:
    user = await person(uow)
    user.last_seen_at = clock.now - timedelta(days=29)
    await uow.commit()
    assert await sending.plan_periodic(uow, "Europe/Moscow") == 0  # the region says 30 days
    clock.advance(days=2)
    assert await sending.plan_periodic(uow, "Europe/Moscow") == 1
    assert await sending.plan_periodic(uow, "Europe/Moscow") == 0
    [row] = await rows(uow, "inactivity")
    view = await compose_at(uow, clock, row, clock.now)
    assert view == View("remind-inactivity", {}, _snooze_buttons(row))
    user.last_seen_at = clock.now  # back before it went out
    assert await compose_at(uow, clock, row, clock.now) is None


async def test_the_digest_is_shown_by_its_own_presenter(uow: UnitOfWork, clock: Clock) -> None:
    user = await person(uow, role="methodist")
    row = await Outbox(uow.session).schedule(user.id, "digest", "digest:x", clock.now)
    assert await compose_at(uow, clock, row, clock.now) == sending.Delegated("digest")


# --- sending: who and when ------------------------------------------------------------------------------


async def test_prepare_closes_rows_nobody_should_get(uow: UnitOfWork, clock: Clock) -> None:
    user = await person(uow, notify_off=["inactivity"])
    outbox = Outbox(uow.session)
    off = await outbox.schedule(user.id, "inactivity", "a", clock.now)
    unknown = await outbox.schedule(user.id, "route_decision", "b", clock.now)
    assert await sending.prepare(uow, off, "Europe/Moscow") == sending.Closed(OutboxStatus.CANCELLED)
    assert off.error == "switched off"
    assert await sending.prepare(uow, unknown, "Europe/Moscow") == sending.Closed(OutboxStatus.CANCELLED)
    user.blocked_at = clock.now
    mine = await outbox.schedule(user.id, "rediagnosis", "c", clock.now)
    assert await sending.prepare(uow, mine, "Europe/Moscow") == sending.Closed(OutboxStatus.FAILED)


async def test_prepare_postpones_to_the_end_of_the_quiet_hours(uow: UnitOfWork, clock: Clock) -> None:
    user = await person(uow)
    clock.now = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)  # 22:00 in Moscow
    row = await Outbox(uow.session).schedule(user.id, "inactivity", "a", clock.now)
    assert await sending.prepare(uow, row, "Europe/Moscow") == sending.Postponed()
    assert row.due_at == datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    clock.now = row.due_at
    ready = await sending.prepare(uow, row, "Europe/Moscow")
    assert isinstance(ready, sending.Ready) and ready.user.id == user.id
    assert ready.rules == await region_rules(uow, "kostroma")


# --- the person's side ----------------------------------------------------------------------------------


async def test_snooze_only_ones_own_snoozable_reminder_by_an_offered_delay(
    uow: UnitOfWork, clock: Clock
) -> None:
    user = await person(uow)
    other = await person(uow, 1002)
    outbox = Outbox(uow.session)
    mine = await outbox.schedule(user.id, "inactivity", "mine", clock.now)
    theirs = await outbox.schedule(other.id, "inactivity", "theirs", clock.now)
    event = await outbox.schedule(user.id, "event_day", "event", clock.now)
    assert await prefs.snooze(uow, user.id, theirs.id, 1) is STALE
    assert await prefs.snooze(uow, user.id, mine.id, 3) is STALE
    assert await prefs.snooze(uow, user.id, event.id, 1) is STALE
    assert await prefs.snooze(uow, user.id, 999_999, 1) is STALE
    assert len(await rows(uow)) == 3
    assert await prefs.snooze(uow, user.id, mine.id, 7) == prefs.Snoozed(7)
    snoozed = (await rows(uow))[-1]
    assert (snoozed.user_id, snoozed.kind, snoozed.due_at) == (
        user.id,
        "inactivity",
        clock.now + timedelta(days=7),
    )


async def test_switching_groups_off_and_on(uow: UnitOfWork) -> None:
    user = await person(uow)
    assert all(setting.on for setting in prefs.notify_settings(user).groups)
    assert [s.group for s in prefs.notify_settings(user).groups] == list(GROUPS)
    toggled = await prefs.toggle_group(uow, user, "route")
    assert isinstance(toggled, prefs.Toggled) and not toggled.on
    assert user.notify_off == ["route"]
    assert [s.group for s in toggled.settings.groups if not s.on] == ["route"]
    assert await prefs.toggle_group(uow, user, "nonsense") is STALE
    toggled = await prefs.toggle_group(uow, user, "route")
    assert isinstance(toggled, prefs.Toggled) and toggled.on and user.notify_off == []


# --- hand-offs -------------------------------------------------------------------------------------------


async def test_a_hand_off_round_trips_and_is_to_send_only_once_committed(uow: UnitOfWork) -> None:
    sender, recipient = await person(uow, 1001), await person(uow, 1002)
    args: dict[str, Any] = {
        "name": "Иванова",
        "days": 3,
        "until": date(2026, 11, 25),
        "form": Term("mentor-form-young"),
        "areas": Terms(("area-subject", "area-methodical"), "diag-none"),
        "deficits": ByLocale("Предметная", "Subject", "diag-none"),
        "contact": Mention(1001, "Иванова", "+7 900"),
    }
    buttons = (
        Button("mentor-btn-accept", AnswerRequest(7, accept=True)),
        Button("ws-btn-open-route", OpenRoute(3)),
        Button("mentor-btn-other-candidates", OpenMentorship()),
    )
    await hand_off(uow, recipient.id, "mentor-request-received", args, buttons, sender=sender)
    assert uow.take_to_send() == 0  # nothing is sent before the commit
    await uow.rollback()
    assert uow.take_to_send() == 0 and await rows(uow) == []  # rolled back: nothing to send
    sender, recipient = await person(uow, 1001), await person(uow, 1002)
    await hand_off(uow, recipient.id, "mentor-request-received", args, buttons, sender=sender)
    await uow.commit()
    assert uow.take_to_send() == 1 and uow.take_to_send() == 0
    [row] = await rows(uow)
    assert (row.kind, row.user_id, row.due_at) == ("handoff", recipient.id, uow.now())
    payload = HandoffPayload.load(row.payload)
    assert payload == HandoffPayload("mentor-request-received", args, buttons, sender.id)


async def test_a_hand_off_is_not_held_by_quiet_hours_nor_switched_off(uow: UnitOfWork, clock: Clock) -> None:
    clock.now = datetime(2026, 11, 22, 20, 30, tzinfo=UTC)  # 23:30 in Kostroma
    recipient = await person(uow, 1002)
    assert await prefs.toggle_group(uow, recipient, HANDOFFS) == STALE  # not a group one can switch off
    await hand_off(uow, recipient.id, "mentor-nominated-you", {"name": "Методист"})
    await uow.commit()
    [row] = await rows(uow)
    assert isinstance(await sending.prepare(uow, row, "Europe/Moscow"), sending.Ready)


async def test_a_failed_hand_off_tells_its_sender_once(uow: UnitOfWork) -> None:
    sender, recipient = await person(uow, 1001), await person(uow, 1002)
    await hand_off(uow, recipient.id, "mentor-nominated-you", {"name": "Методист"}, sender=sender)
    await uow.commit()
    [row] = await rows(uow)
    await sending.blocked(uow, row, recipient)
    assert (row.status, row.error) == (OutboxStatus.FAILED, "blocked")
    [_, notice] = await rows(uow)
    told = HandoffPayload.load(notice.payload)
    assert (notice.user_id, notice.ref_type, notice.ref_id) == (sender.id, "outbox", row.id)
    assert (told.text, told.args, told.sender_id) == (
        "handoff-undelivered-blocked",
        {"name": "Человек 1002"},
        None,
    )
    await sending.close(uow, notice, OutboxStatus.FAILED, "blocked")  # the notice tells nobody in turn
    assert len(await rows(uow)) == 2
    await hand_off(uow, sender.id, "mentor-nominated-you", {"name": "Методист"}, sender=recipient)
    await uow.commit()
    failing = (await rows(uow))[-1]
    retried = [await sending.failed_attempt(uow, failing, "Bad Gateway") for _ in range(sending.RETRY_LIMIT)]
    assert retried == [True] * (sending.RETRY_LIMIT - 1) + [False]  # given up after the last
    assert (failing.status, failing.error) == (OutboxStatus.FAILED, "Bad Gateway")
    last = HandoffPayload.load((await rows(uow))[-1].payload)
    assert (last.text, last.args) == ("handoff-undelivered", {"name": "Человек 1001"})
    assert "handoff-undelivered" in message_keys("ru") and "handoff-undelivered-blocked" in message_keys("en")
