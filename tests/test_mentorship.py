"""Flow 5: mentorship — matching properties and whole conversations through the dispatcher."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from bot.jobs import mentorship_tick, send_outbox
from domain.mentorship import Candidate, Mentee, rank_candidates, supported_share
from handlers.callbacks import MentorAction, MentorCb, MentorStaffAction, MentorStaffCb
from storage.models import MentorMeeting, MentorPair, MentorProfile, MentorRequest, User
from tests.chat import Chat
from tests.conftest import ADMIN_ID, App
from tests.flows import onboard
from tests.max_chat import MaxChat

# --- matching (pure) ---

candidate_st = st.builds(
    Candidate,
    user_id=st.integers(1, 50),
    subjects=st.frozensets(st.sampled_from(["math", "physics", "russian"]), max_size=2),
    school_id=st.sampled_from([None, 1, 2]),
    municipality_id=st.sampled_from([None, 10, 20]),
    strengths=st.frozensets(st.sampled_from(["methodical", "subject", "it_digital"]), max_size=2),
    load=st.integers(0, 3),
    capacity=st.integers(1, 3),
    experience_years=st.integers(0, 30),
    manager=st.booleans(),
)
mentee_st = st.builds(
    Mentee,
    user_id=st.integers(1, 50),
    subjects=st.frozensets(st.sampled_from(["math", "physics", "russian"]), max_size=2),
    school_id=st.sampled_from([None, 1, 2]),
    municipality_id=st.sampled_from([None, 10, 20]),
    deficits=st.lists(st.sampled_from(["methodical", "subject", "it_digital"]), unique=True, max_size=2).map(
        tuple
    ),
)


@given(
    mentee_st,
    st.lists(candidate_st, max_size=12, unique_by=lambda c: c.user_id),
    st.frozensets(st.integers(1, 50), max_size=5),
    st.sampled_from(["young", "peer", "management"]),
)
def test_matching_properties(mentee, candidates, excluded, form) -> None:
    area = mentee.deficits[0] if mentee.deficits else "methodical"
    ranked = rank_candidates(mentee, candidates, form=form, min_experience=5, excluded=excluded, area=area)
    by_id = {c.user_id: c for c in candidates}
    ids = [r.user_id for r in ranked]
    assert len(ids) == len(set(ids))
    for r in ranked:
        c = by_id[r.user_id]
        assert c.load < c.capacity  # never over capacity
        assert r.user_id not in excluded and r.user_id != mentee.user_id  # never declined, never self
        assert c.experience_years >= 5
        if form == "peer":
            assert area in c.strengths
        if form == "management":
            assert c.manager
    assert [r.rank for r in ranked] == sorted(r.rank for r in ranked)
    assert ranked == rank_candidates(
        mentee, candidates, form=form, min_experience=5, excluded=excluded, area=area
    )


def test_ranking_tiers() -> None:
    mentee = Mentee(1, frozenset({"math"}), 7, 10, ("methodical",))
    base = dict(strengths=frozenset(), load=0, capacity=2, experience_years=10)
    candidates = [
        Candidate(2, frozenset({"russian"}), 8, 10, **{**base, "strengths": frozenset({"methodical"})}),
        Candidate(3, frozenset({"math"}), 8, 10, **base),
        Candidate(4, frozenset({"math"}), 7, 10, **{**base, "load": 1}),
        Candidate(5, frozenset({"math"}), 7, 10, **base),
        Candidate(6, frozenset(), None, 30, **base),
    ]
    ranked = rank_candidates(mentee, candidates, form="young", min_experience=5)
    assert [r.user_id for r in ranked] == [5, 4, 3, 2, 6]
    assert ranked[0].reasons[0] == ("mentor-reason-school-subject", ("math",))
    assert ("mentor-reason-strength", ("methodical",)) in ranked[3].reasons


def test_supported_share() -> None:
    assert supported_share([1, 2, 3, 4], [2, 4, 9]) == 50
    assert supported_share([], [1]) is None


# --- conversations ---

# Every conversation runs on both messengers (the people in it on the test's messenger).
both = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


async def make_mentor(app: App, user_id: int, name: str, *, contact: str | None = None) -> Chat:
    chat = app.chat(user_id)
    await onboard(chat, name=name, birth="01.01.1980", work_start="2005")
    await chat.press("👤 Профиль")  # the opt-in lives in the profile (and in «Наставничество»)
    await chat.press("Готов быть наставником")
    if contact:
        await chat.send(contact)
    else:
        await chat.press(f"Только {chat.messenger_name}")
    chat.expect("Вы в реестре наставников")
    return chat


def assert_link(html: str | None, user_id: int, messenger: str) -> None:
    """The name of a person on ``messenger`` opens a chat with them on Telegram; a MAX account has
    no such link (a Telegram link with a MAX id would open a stranger's chat)."""
    link = f'href="tg://user?id={user_id}"'
    assert (link in (html or "")) == (messenger == "telegram"), html


async def rows(app: App, model: type) -> list:
    async with app.database.sessionmaker() as session:
        return list(await session.scalars(select(model).order_by(model.id)))


@both
async def test_request_then_accept_shares_contacts_and_plan(app: App) -> None:
    mentor = await make_mentor(app, 3001, "Сидорова Анна Павловна", contact="+7 900 000-00-00")
    mentee = app.chat(1001)
    await onboard(mentee)
    await mentee.press("🤝 Наставничество")
    mentee.expect(
        "Вы молодой педагог", "Сидорова Анна Павловна", "тот же предмет и та же школа", "подопечных: 0 из 2"
    )
    await mentee.press("Попросить: Сидорова")
    mentee.expect("Запрос отправлен")
    request = mentor.last_bot_message()
    assert "Запрос на наставничество" in request.plain_text and "Иванова Мария Петровна" in request.plain_text
    await mentor.press("Принять")
    mentor.expect("Вы приняли запрос")
    pair_note = mentee.last_bot_message()
    assert "Наставник найден" in pair_note.plain_text and "+7 900 000-00-00" in pair_note.plain_text
    assert_link(pair_note.text, 3001, mentor.messenger)
    [pair] = await rows(app, MentorPair)
    assert (pair.status, pair.form, pair.goals) == ("active", "young", [])
    assert "определите вместе на первой встрече" in pair_note.plain_text
    await mentee.press("🤝 Наставничество")
    mentee.expect("Ваш наставник: Сидорова Анна Павловна")


@both
async def test_decline_with_message_then_next_candidate(app: App) -> None:
    first = await make_mentor(app, 3001, "Сидорова Анна Павловна")
    await make_mentor(app, 3002, "Кузнецов Олег Иванович")
    mentee = app.chat(1001)
    await onboard(mentee)
    await mentee.press("🤝 Наставничество")
    await mentee.press("Попросить: Сидорова")  # same school and subject; the lower id first
    await first.press("Отклонить")
    await first.send("В этом году веду две пары, не успею")
    first.expect("Запрос отклонён")
    told = mentee.last_bot_message()
    assert "не может стать вашим наставником" in told.plain_text and "не успею" in told.plain_text
    await mentee.press("Другие наставники")  # the notice leads to the next candidates
    mentee.expect("Кузнецов Олег Иванович")
    assert "Сидорова" not in mentee.replies[-1].plain_text  # never offered again
    [request] = await rows(app, MentorRequest)
    assert request.status == "declined" and request.message == "В этом году веду две пары, не успею"


@both
async def test_no_answer_in_time_offers_the_next(app: App) -> None:
    await make_mentor(app, 3001, "Сидорова Анна Павловна")
    await make_mentor(app, 3002, "Кузнецов Олег Иванович")
    mentee = app.chat(1001)
    await onboard(mentee)
    await mentee.press("🤝 Наставничество")
    await mentee.press("Попросить: Сидорова")
    app.clock.advance(days=2)
    assert (await mentorship_tick(app.bots, app.database.sessionmaker, app.translations, app.clock))[
        "lapsed"
    ] == 0
    app.clock.advance(days=2)
    counts = await mentorship_tick(app.bots, app.database.sessionmaker, app.translations, app.clock)
    assert counts["lapsed"] == 1
    await send_outbox(app.bots, app.database.sessionmaker, app.translations, app.clock)
    notice = mentee.sent()[-1]
    assert "Сидорова Анна Павловна не ответил(а) на запрос вовремя" in notice.plain_text
    await mentee.press("Другие наставники")  # the notice leads to the next candidates
    mentee.expect("Кузнецов Олег Иванович")
    assert "Сидорова" not in mentee.replies[-1].plain_text
    [request] = await rows(app, MentorRequest)
    assert request.status == "expired"
    again = await mentorship_tick(app.bots, app.database.sessionmaker, app.translations, app.clock)
    assert again["lapsed"] == 0  # never twice


@both
async def test_a_lapse_telegram_refused_to_announce_is_announced_later(app: App) -> None:
    """Telegram refuses the first notice (429): both requests lapse anyway, each with its notice in
    the outbox, and the refused one is sent on the next pass — never a lapse unannounced."""
    await make_mentor(app, 3001, "Сидорова Анна Павловна")
    await make_mentor(app, 3002, "Кузнецов Олег Иванович")
    first, second = app.chat(1001), app.chat(1002)
    for chat, mentor in ((first, "Сидорова"), (second, "Кузнецов")):
        await onboard(chat)
        await chat.press("🤝 Наставничество")
        await chat.press(f"Попросить: {mentor}")
    app.clock.advance(days=4)
    counts = await mentorship_tick(app.bots, app.database.sessionmaker, app.translations, app.clock)
    assert counts["lapsed"] == 2
    assert [r.status for r in await rows(app, MentorRequest)] == ["expired", "expired"]
    first.fail_next_send(429, "Too Many Requests: retry after 1")
    await send_outbox(app.bots, app.database.sessionmaker, app.translations, app.clock)
    app.clock.advance(seconds=2)
    await send_outbox(app.bots, app.database.sessionmaker, app.translations, app.clock)
    for chat, name in ((first, "Сидорова"), (second, "Кузнецов")):
        told = chat.told()
        assert sum(f"{name}" in text and "не ответил(а)" in text for text in told) == 1, told


@both
async def test_capacity_is_never_exceeded(app: App) -> None:
    mentor = await make_mentor(app, 3001, "Сидорова Анна Павловна")
    mentees = [app.chat(4000 + i) for i in range(3)]
    for i, chat in enumerate(mentees):
        await onboard(chat, name=f"Молодая Учительница {'АБВ'[i]}")
        await chat.press("🤝 Наставничество")
        await chat.press("Попросить: Сидорова")
    requests = [m for m in mentor.sent() if "Запрос на наставничество" in m.plain_text]
    assert len(requests) == 3
    for request in requests[:2]:
        await mentor.press_data(
            next(b["callback_data"] for b in request.buttons if "Принять" in b["text"]), request.message_id
        )
    mentor.clear_alerts()
    third = requests[2]
    await mentor.press_data(
        next(b["callback_data"] for b in third.buttons if "Принять" in b["text"]), third.message_id
    )
    assert "это предел" in mentor.alerts()[0]
    assert len(await rows(app, MentorPair)) == 2
    newcomer = app.chat(4100)
    await onboard(newcomer, name="Новенькая Учительница")
    await newcomer.press("🤝 Наставничество")
    assert "Сидорова" not in newcomer.text  # full: not offered


@both
async def test_forged_accept_of_someone_elses_request(app: App) -> None:
    await make_mentor(app, 3001, "Сидорова Анна Павловна")
    mentee = app.chat(1001)
    await onboard(mentee)
    await mentee.press("🤝 Наставничество")
    await mentee.press("Попросить: Сидорова")
    [request] = await rows(app, MentorRequest)
    intruder = app.chat(5005)
    await onboard(intruder, name="Чужой Человек")
    for chat in (intruder, mentee):
        chat.clear_alerts()
        await chat.press_data(MentorCb(action=MentorAction.ACCEPT, request_id=request.id).pack())
        assert "устарела" in chat.alerts()[0]
        await chat.press_data(MentorCb(action=MentorAction.DECLINE_NOW, request_id=request.id).pack())
    assert await rows(app, MentorPair) == []
    [request] = await rows(app, MentorRequest)
    assert request.status == "pending"
    intruder.clear_alerts()
    await intruder.press_data(MentorCb(action=MentorAction.CANCEL, request_id=request.id).pack())
    assert "устарела" in intruder.alerts()[0]


async def accepted_pair(app: App) -> tuple[Chat, Chat]:
    mentor = await make_mentor(app, 3001, "Сидорова Анна Павловна")
    mentee = app.chat(1001)
    await onboard(mentee)
    await mentee.press("🤝 Наставничество")
    await mentee.press("Попросить: Сидорова")
    await mentor.press("Принять")
    return mentor, mentee


@both
async def test_meetings_history_and_reminders_never_twice(app: App) -> None:
    mentor, mentee = await accepted_pair(app)
    await mentee.press("Открыть пару")
    await mentee.press("Записать встречу")
    await mentee.send("01.01.2030")
    mentee.expect("ещё не наступила")
    await mentee.send("01.01.2020")
    mentee.expect("не может быть раньше")
    await mentee.send("22.11.2026")
    await mentee.send("Первая встреча: план на полугодие")
    await mentee.press("Пропустить")
    mentee.expect("Встреча записана", "Встреч: 1", "Первая встреча")
    [meeting] = await rows(app, MentorMeeting)
    assert meeting.note is None and meeting.logged_by is not None

    async def tick() -> int:
        counts = await mentorship_tick(app.bots, app.database.sessionmaker, app.translations, app.clock)
        await send_outbox(app.bots, app.database.sessionmaker, app.translations, app.clock)
        return counts["reminded"]

    app.clock.advance(days=13)
    assert await tick() == 0
    app.clock.advance(days=2)
    assert await tick() == 1

    def reminders() -> list[int]:
        return [c.user_id for c in (mentee, mentor) for text in c.told() if "Напоминание: в паре" in text]

    assert sorted(reminders()) == [1001, 3001]
    assert await tick() == 0
    assert len(reminders()) == 2  # never twice
    app.clock.advance(days=15)
    assert await tick() == 1


@both
async def test_a_meeting_topic_too_long_or_empty_is_asked_again(app: App) -> None:
    _mentor, mentee = await accepted_pair(app)
    await mentee.press("Открыть пару")
    await mentee.press("Записать встречу")
    await mentee.send("22.11.2026")
    await mentee.send("т" * 201)
    mentee.expect("Слишком длинно: 201 символов, а можно не больше 200", "Тема встречи")
    await mentee.send("   ")
    mentee.expect("сообщение пустое", "Тема встречи")
    await mentee.send("Первая встреча")
    await mentee.press("Пропустить")
    mentee.expect("Встреча записана")
    [meeting] = await rows(app, MentorMeeting)
    assert meeting.topic == "Первая встреча"


@both
async def test_close_with_outcome_keeps_history(app: App) -> None:
    mentor, mentee = await accepted_pair(app)
    await mentor.press("Открыть пару")
    await mentor.press("Завершить пару")
    await mentor.send("Провели 6 встреч, открытый урок дан")
    mentor.expect("Пара завершена")
    assert "Итог: Провели 6 встреч" in mentee.last_bot_message().plain_text
    [pair] = await rows(app, MentorPair)
    assert pair.status == "closed" and pair.outcome == "Провели 6 встреч, открытый урок дан"


@both
async def test_closing_a_pair_asks_first_and_cancel_keeps_it(app: App) -> None:
    mentor, mentee = await accepted_pair(app)
    await mentor.press("Открыть пару")
    card = mentor.last_bot_message().message_id
    await mentor.press("Завершить пару")
    mentor.expect("Завершить пару с Иванова Мария Петровна?", "Напишите итог")
    assert mentor.buttons() == ["Отмена"]
    assert mentor.last_bot_message().message_id == card  # in place of the card
    await mentor.press("Отмена")
    mentor.expect("Пара наставничества", "действует")
    assert "Завершить пару" in mentor.buttons()
    assert mentor.last_bot_message().message_id == card
    await mentor.send("Провели 6 встреч, открытый урок дан")  # no longer an outcome
    [pair] = await rows(app, MentorPair)
    assert pair.status == "active" and pair.outcome is None
    assert not [text for text in mentee.told() if "Итог:" in text]


@both
async def test_a_closed_pair_is_shown_closed_and_its_old_buttons_are_stale(app: App) -> None:
    mentor, mentee = await accepted_pair(app)
    await mentor.press("Открыть пару")
    close = next(b for b in mentor.last_bot_message().buttons if b["text"] == "Завершить пару")
    await mentor.press("Завершить пару")
    cancel = next(b for b in mentor.last_bot_message().buttons if b["text"] == "Отмена")
    await mentor.send("Провели 6 встреч, открытый урок дан")
    mentor.expect("Пара завершена", "Пара наставничества", "завершена", "Итог: Провели 6 встреч")
    assert "Завершить пару" not in mentor.buttons()
    # The old «Завершить пару» again (from either side): the pair is closed, nothing is asked.
    for chat in (mentor, mentee):
        chat.clear_alerts()
        await chat.press_data(close["callback_data"])
        assert "устарела" in chat.alerts()[0]
    await mentor.send("Ещё один итог")
    # The old «Отмена» shows the closed card, no error.
    await mentor.press_data(cancel["callback_data"])
    [pair] = await rows(app, MentorPair)
    assert pair.status == "closed" and pair.outcome == "Провели 6 встреч, открытый урок дан"


@both
async def test_someone_else_cannot_close_or_cancel_closing_a_pair(app: App) -> None:
    await accepted_pair(app)
    [pair] = await rows(app, MentorPair)
    intruder = app.chat(5005)
    await onboard(intruder, name="Чужой Человек")
    for action in (MentorAction.CLOSE, MentorAction.CLOSE_CANCEL):
        intruder.clear_alerts()
        await intruder.press_data(MentorCb(action=action, pair_id=pair.id).pack())
        assert "устарела" in intruder.alerts()[0], action
    await intruder.send("Пара закончилась")
    for action in (MentorStaffAction.CLOSE, MentorStaffAction.CLOSE_CANCEL):
        intruder.clear_alerts()
        await intruder.press_data(MentorStaffCb(action=action, pair_id=pair.id).pack())
        assert "Нет доступа" in intruder.alerts()[0], action
    await intruder.send("Пара закончилась")
    [pair] = await rows(app, MentorPair)
    assert pair.status == "active" and pair.outcome is None


@both
async def test_methodist_closes_a_pair_after_confirming_and_sees_the_pairs_again(app: App) -> None:
    _mentor, mentee = await accepted_pair(app)
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Методистова Ольга", birth="01.01.1970", work_start="1995")
    await admin.press("🗂 Кабинет методиста")
    await admin.press("Действующие пары")
    await admin.press("Иванова Мария Петровна ← Сидорова")
    card = admin.last_bot_message().message_id
    await admin.press("Завершить пару")
    admin.expect("Завершить пару: Иванова Мария Петровна — наставник Сидорова Анна Павловна?")
    assert admin.buttons() == ["Отмена"]
    assert admin.last_bot_message().message_id == card
    await admin.press("Отмена")
    assert "Завершить пару" in admin.buttons()
    await admin.send("Итог, которого никто не просил")
    [pair] = await rows(app, MentorPair)
    assert pair.status == "active"

    await admin.press("Завершить пару")
    cancel = next(b for b in admin.last_bot_message().buttons if b["text"] == "Отмена")
    await admin.send("Цели достигнуты")
    admin.expect("Пара завершена", "Действующих пар")
    assert not [b for b in admin.buttons() if "Сидорова" in b]
    [pair] = await rows(app, MentorPair)
    assert pair.status == "closed" and pair.outcome == "Цели достигнуты"
    assert "Итог: Цели достигнуты" in mentee.last_bot_message().plain_text
    # «Отмена» on the old question: the pair is closed already.
    admin.clear_alerts()
    await admin.press_data(cancel["callback_data"], card)
    assert "устарела" in admin.alerts()[0]
    [pair] = await rows(app, MentorPair)
    assert pair.status == "closed"


@both
async def test_mentee_turning_35_keeps_the_pair_but_is_no_longer_young(app: App) -> None:
    mentor = await make_mentor(app, 3001, "Сидорова Анна Павловна")
    mentee = app.chat(1001)
    await onboard(mentee, birth="23.11.1991", work_start="2025")  # 35 tomorrow
    await mentee.press("🤝 Наставничество")
    mentee.expect("Вы молодой педагог")
    await mentee.press("Попросить: Сидорова")
    await mentor.press("Принять")
    app.clock.advance(days=2)
    await mentee.press("🤝 Наставничество")
    mentee.expect("Ваш наставник: Сидорова")
    assert "Вы молодой педагог" not in mentee.text
    [pair] = await rows(app, MentorPair)
    assert pair.status == "active"
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ", birth="01.01.1970", work_start="1995")
    await admin.press("🗂 Кабинет методиста")
    await admin.press("без наставника")
    admin.expect("Молодых педагогов в регионе: 0")


@both
async def test_methodist_assigns_reassigns_and_teacher_cannot(app: App) -> None:
    await make_mentor(app, 3001, "Сидорова Анна Павловна")
    await make_mentor(app, 3002, "Кузнецов Олег Иванович")
    mentee = app.chat(1001)
    await onboard(mentee)
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Методистова Ольга", birth="01.01.1970", work_start="1995")
    await admin.press("🗂 Кабинет методиста")
    await admin.press("без наставника")
    admin.expect(
        "Молодых педагогов в регионе: 1.",
        "Участвуют в различных формах поддержки и сопровождения (C-6/R-5, текущий период): 0%",
        "целевое значение — не менее 70%",
        "Без наставника: 1",
    )
    await admin.press("Иванова Мария Петровна")
    await admin.press("Назначить: Сидорова")
    assert "Наставник найден" in mentee.last_bot_message().plain_text
    await admin.press("Действующие пары")
    await admin.press("Иванова Мария Петровна ← Сидорова")
    await admin.press("Переназначить")
    await admin.press("Назначить: Кузнецов")
    pairs = await rows(app, MentorPair)
    assert [(p.mentor_id, p.status) for p in pairs][-1][1] == "active" and pairs[0].status == "closed"
    assert pairs[0].outcome == "переназначено методистом"

    mentee.clear_alerts()
    await mentee.press_data(MentorStaffCb(action=MentorStaffAction.ASSIGN, teacher_id=1, mentor_id=2).pack())
    assert "Нет доступа" in mentee.alerts()[0]
    await mentee.press("🤝 Наставничество")
    await mentee.send("🗂 Кабинет методиста")
    mentee.expect("Нет доступа")
    assert len(await rows(app, MentorPair)) == 2


@both
async def test_an_assignment_answers_the_request_that_waited_and_the_card_has_both_contacts(app: App) -> None:
    asked = await make_mentor(app, 3001, "Сидорова Анна Павловна")
    await make_mentor(app, 3002, "Кузнецов Олег Иванович", contact="+7 900 000-00-02")
    mentee = app.chat(1001)
    await onboard(mentee)
    await mentee.press("🤝 Наставничество")
    await mentee.press("Попросить: Сидорова")
    request = asked.last_bot_message()
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Методистова Ольга", birth="01.01.1970", work_start="1995")
    await admin.press("🗂 Кабинет методиста")
    await admin.press("без наставника")
    await admin.press("Иванова Мария Петровна")
    await admin.press("Назначить: Кузнецов")
    await mentee.press("🤝 Наставничество")
    mentee.expect("Ваш наставник: Кузнецов Олег Иванович")
    assert "Запрос отправлен" not in mentee.text and "Ждём ответа" not in mentee.text
    [waited] = await rows(app, MentorRequest)
    assert waited.status == "superseded"
    accept = next(b["callback_data"] for b in request.buttons if "Принять" in b["text"])
    await asked.press_data(accept, request.message_id)  # the notification's button, still in the chat
    assert "устарела" in asked.alerts()[-1]
    await mentee.press("Открыть пару")
    card = mentee.last_bot_message()
    assert "+7 900 000-00-02" in card.plain_text
    assert_link(card.text, 3002, mentee.messenger)  # on MAX, no Telegram link reaches the screen
    assert_link(card.text, 1001, mentee.messenger)
    assert len(await rows(app, MentorPair)) == 1


@both
async def test_methodist_nominates_experienced_teachers_who_are_not_mentors_yet(app: App) -> None:
    await make_mentor(app, 3001, "Сидорова Анна Павловна")  # already in the registry
    await onboard(app.chat(3002), name="Кузнецов Олег Иванович", birth="01.01.1980", work_start="2021")
    await onboard(app.chat(3003), name="Орлова Вера Николаевна", birth="01.01.1975", work_start="2000")
    await onboard(app.chat(1001))  # a young teacher: too little experience
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Методистова Ольга", birth="01.01.1970", work_start="1995")
    await admin.press("🗂 Кабинет методиста")
    await admin.press("Выдвинуть наставника")
    admin.expect("Педагоги со стажем от 5 лет")
    names = [b["text"] for b in admin.last_bot_message().buttons]
    # Kuzнецов started in 2021: five full years only from 1 September 2026 — he is in, as is Орлова.
    assert "Кузнецов Олег Иванович" in names and "Орлова Вера Николаевна" in names
    assert not any("Сидорова" in n or "Иванова" in n for n in names)
    await admin.press("Орлова Вера Николаевна")
    assert "добавлен в реестр наставников" in admin.alerts()[-1]
    names = [b["text"] for b in admin.last_bot_message().buttons]
    assert "Орлова Вера Николаевна" not in names and "Кузнецов Олег Иванович" in names
    assert "выдвинул" in app.chat(3003).last_bot_message().plain_text.lower()


@both
async def test_mentor_registry_import(app: App) -> None:
    """The registry file names each person by their Telegram ID or their MAX ID (``max_id``)."""
    from storage.importers import import_catalogue
    from storage.models import MentorProfile

    teacher = app.chat(3001)
    await onboard(teacher, name="Сидорова Анна Павловна", birth="01.01.1980", work_start="2005")
    column = "max_id" if app.messenger == "max" else "telegram_id"
    content = f"{column};capacity;contact\n3001;1;почта school@example.org\n999;;\n".encode()
    async with app.database.sessionmaker() as session:
        report = await import_catalogue(session, "mentors", "kostroma", "mentors.csv", content)
        assert not report.applied and report.errors[0].row == 3
        assert report.errors[0].code == "import-err-unknown-user"
        assert report.errors[0].args["value"] == f"{teacher.messenger_name} ID 999"
    # The same number on the other messenger is somebody else (nobody here).
    other = "telegram_id" if column == "max_id" else "max_id"
    async with app.database.sessionmaker() as session:
        report = await import_catalogue(
            session, "mentors", "kostroma", "mentors.csv", f"{other};capacity\n3001;1\n".encode()
        )
        assert not report.applied and report.errors[0].code == "import-err-unknown-user"
    # A row naming both accounts, or neither, is refused.
    async with app.database.sessionmaker() as session:
        both_ids = b"telegram_id;max_id;capacity\n3001;3001;1\n;;2\n"
        report = await import_catalogue(session, "mentors", "kostroma", "mentors.csv", both_ids)
        assert [(e.row, e.code) for e in report.errors] == [
            (2, "import-err-one-account"),
            (3, "import-err-one-account"),
        ]
    async with app.database.sessionmaker() as session:
        report = await import_catalogue(
            session, "mentors", "kostroma", "mentors.csv", content.rsplit(b"999", 1)[0]
        )
        assert report.applied and report.created == 1
        await session.commit()
    [profile] = await rows_by_key(app, MentorProfile)
    assert (profile.source, profile.capacity, profile.contact) == ("imported", 1, "почта school@example.org")
    mentee = app.chat(1001)
    await onboard(mentee)
    await mentee.press("🤝 Наставничество")
    mentee.expect("Сидорова Анна Павловна", "подопечных: 0 из 1")


async def rows_by_key(app: App, model: type) -> list:
    async with app.database.sessionmaker() as session:
        return list(await session.scalars(select(model)))


@both
async def test_peer_pair_by_competence(app: App) -> None:
    from tests.test_diagnosis_flow import answer_all

    strong = app.chat(3001)
    await onboard(strong, name="Сильная Коллега", birth="01.01.1985", work_start="2008")
    await strong.press("🧭 Самодиагностика")
    await strong.press("Начать")
    await answer_all(strong, {"methodical": "4."})
    await strong.press("🤝 Наставничество")
    await strong.press("Готов быть наставником")
    await strong.press(f"Только {strong.messenger_name}")
    seeker = app.chat(1002)
    await onboard(seeker, name="Ищущая Коллега", birth="01.01.1985", work_start="2010")
    await seeker.press("🧭 Самодиагностика")
    await seeker.press("Начать")
    await answer_all(seeker, {"methodical": "1."})
    await seeker.press("🤝 Наставничество")
    assert "Вы молодой педагог" not in seeker.text
    await seeker.press("Найти коллегу по дефициту")
    await seeker.press("Методические")
    seeker.expect(
        "Коллеги, сильные в области «Методические»", "Сильная Коллега", "сильная сторона в ваших дефицитах"
    )
    await seeker.press("Попросить: Сильная")
    await strong.press("Принять")
    [pair] = await rows_by_key(app, MentorPair)
    assert (pair.form, pair.goals) == ("peer", ["methodical"])


async def test_a_telegram_teachers_request_reaches_a_max_mentor_and_the_pair_spans_both(app: App) -> None:
    """One region on both messengers: a young teacher on Telegram asks a mentor who is on MAX; the
    request reaches her on MAX, her answer reaches the teacher on Telegram, and neither side is
    given a Telegram link to the MAX account (it would open a stranger's chat)."""
    app.chats[3001] = MaxChat(app, 3001)  # the mentor on MAX; everyone else on Telegram
    mentor = await make_mentor(app, 3001, "Сидорова Анна Павловна", contact="+7 900 000-00-00")
    mentee = app.chat(1001)
    assert (mentor.messenger, mentee.messenger) == ("max", "telegram")
    await onboard(mentee)
    await mentee.press("🤝 Наставничество")
    mentee.expect("Сидорова Анна Павловна")
    await mentee.press("Попросить: Сидорова")
    mentee.expect("Запрос отправлен")
    request = mentor.last_bot_message()
    assert "Запрос на наставничество" in request.plain_text and "Иванова Мария Петровна" in request.plain_text
    assert not any("Запрос на наставничество" in m.plain_text for m in app.stub.outbox)  # not on Telegram
    await mentor.press("Принять")
    mentor.expect("Вы приняли запрос")
    pair_note = mentee.last_bot_message()
    assert "Наставник найден" in pair_note.plain_text and "+7 900 000-00-00" in pair_note.plain_text
    assert_link(pair_note.text, 3001, "max")  # the mentor's MAX id is no Telegram chat
    await mentor.press("Открыть пару")
    assert "Иванова Мария Петровна" in mentor.last_bot_message().plain_text
    assert "tg://" not in mentor.last_bot_message().text  # MAX cannot open Telegram's links
    await mentee.press("🤝 Наставничество")
    mentee.expect("Ваш наставник: Сидорова Анна Павловна")
    await mentee.press("Открыть пару")
    assert_link(mentee.last_bot_message().text, 1001, "telegram")  # her own name links on Telegram
    assert_link(mentee.last_bot_message().text, 3001, "max")


async def colleagues(app: App, like: int, count: int) -> list[int]:
    """``count`` more teachers with the profile of the person ``like`` (their own names and ids),
    straight into the database: the region's long lists without as many onboardings."""
    async with app.database.sessionmaker() as session:
        source = await session.scalar(select(User).where(User.telegram_id == like))
        assert source is not None
        fields = {a.key: getattr(source, a.key) for a in sa_inspect(User).column_attrs if a.key != "id"}
        made = [
            User(**{**fields, "telegram_id": 700_000 + n, "full_name": f"Коллегова Вера {n:02d}"})
            for n in range(count)
        ]
        session.add_all(made)
        await session.commit()
        return [u.id for u in made]


@both
async def test_long_lists_of_pairs_and_nominees_fit_one_screen_on_either_messenger(app: App) -> None:
    """More active pairs and more experienced teachers than one screen holds: each list shows the
    first of them and «В меню» in at most 30 rows of buttons — MAX's most (it refuses more)."""
    await make_mentor(app, 3001, "Сидорова Анна Павловна")
    await colleagues(app, 3001, 35)  # experienced, not mentors: nominees
    await onboard(app.chat(1001))
    async with app.database.sessionmaker() as session:
        [profile] = list(await session.scalars(select(MentorProfile)))
        young = await session.scalar(select(User.id).where(User.telegram_id == 1001))
        assert young is not None
        session.add_all(
            MentorPair(mentee_id=young, mentor_id=profile.user_id, form="young") for _ in range(31)
        )
        await session.commit()
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Методистова Ольга", birth="01.01.1970", work_start="1995")
    await admin.press("🗂 Кабинет методиста")
    await admin.press("Действующие пары")
    admin.expect("Действующих пар: 31")
    pairs = admin.buttons()
    assert 2 <= len(pairs) <= 30 and pairs[-1] == "‹ В меню", pairs
    assert set(pairs[:-1]) == {"Иванова Мария Петровна ← Сидорова Анна Павловна"}, pairs
    await admin.press("В меню")
    await admin.press("Выдвинуть наставника")
    nominees = admin.buttons()
    assert 2 <= len(nominees) <= 30 and nominees[-1] == "‹ В меню", nominees
    assert nominees[:2] == ["Коллегова Вера 00", "Коллегова Вера 01"], nominees
