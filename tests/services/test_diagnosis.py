"""services.diagnosis without Telegram: a unit of work over a real (migrated) database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.factory import Database
from domain.diagnosis import NOT_APPLICABLE, Status
from services import diagnosis as service
from services.regions import RegionRules, region_rules
from services.results import STALE
from services.uow import UnitOfWork
from storage.frameworks import Frameworks
from storage.models import Diagnosis, OutboxMessage, User
from tests.conftest import NOW, Clock

FRAMEWORKS = Frameworks()


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


async def _teacher(uow: UnitOfWork, telegram_id: int = 1001, *, complete: bool = True) -> User:
    user = User(
        telegram_id=telegram_id,
        locale="ru",
        consent_at=NOW,
        full_name="Иванова Мария Петровна",
        position="teacher",
        region_code="kostroma",
        profile_completed_at=NOW if complete else None,
    )
    uow.session.add(user)
    await uow.commit()
    return user


async def _rules(uow: UnitOfWork) -> RegionRules:
    return await region_rules(uow, "kostroma")


async def test_home_asks_for_the_profile_first(uow: UnitOfWork) -> None:
    user = await _teacher(uow, complete=False)
    assert isinstance(await service.home(uow, user, await _rules(uow), FRAMEWORKS), service.NeedProfile)


async def test_a_diagnosis_is_answered_to_the_end_and_scored_with_the_regions_thresholds(
    uow: UnitOfWork,
) -> None:
    user = await _teacher(uow)
    rules = await _rules(uow)
    intro = await service.home(uow, user, rules, FRAMEWORKS)
    assert isinstance(intro, service.Intro) and intro.last is None and intro.statements > 0

    question = await service.start(uow, user, rules, FRAMEWORKS)
    diagnosis_id = question.diagnosis.id
    kinds = set(await uow.session.scalars(select(OutboxMessage.kind)))
    assert kinds == {"diagnosis_unfinished"}  # planned with the start, in its transaction

    outcome: object = question
    for position in range(intro.statements):
        value = 1 if position % 2 else 4
        outcome = await service.answer(
            uow, user, rules, FRAMEWORKS, diagnosis_id=diagnosis_id, position=position, value=value
        )
        if position < intro.statements - 1:
            assert isinstance(outcome, service.Question) and outcome.diagnosis.position == position + 1
    assert isinstance(outcome, service.Result)
    assert outcome.diagnosis.status == Status.DONE and outcome.previous is None
    assert outcome.threshold == rules.thresholds.deficit_threshold
    assert set(outcome.diagnosis.scores) and outcome.diagnosis.finished_at == NOW
    kinds = set(await uow.session.scalars(select(OutboxMessage.kind)))
    assert "rediagnosis" in kinds
    again = await service.home(uow, user, rules, FRAMEWORKS)
    assert isinstance(again, service.Intro) and again.last is not None and again.last.id == diagnosis_id


async def test_only_the_statement_being_asked_of_ones_own_diagnosis_can_be_answered(uow: UnitOfWork) -> None:
    user, other = await _teacher(uow), await _teacher(uow, 1002)
    rules = await _rules(uow)
    question = await service.start(uow, user, rules, FRAMEWORKS)
    did = question.diagnosis.id
    assert isinstance(
        await service.answer(uow, user, rules, FRAMEWORKS, diagnosis_id=did, position=0, value=3),
        service.Question,
    )
    # An old button (position 0 again), someone else's diagnosis, a level that does not exist,
    # a diagnosis that does not exist: nothing changes.
    assert await service.answer(uow, user, rules, FRAMEWORKS, diagnosis_id=did, position=0, value=3) == STALE
    assert await service.answer(uow, other, rules, FRAMEWORKS, diagnosis_id=did, position=1, value=3) == STALE
    assert await service.answer(uow, user, rules, FRAMEWORKS, diagnosis_id=did, position=1, value=9) == STALE
    assert (
        await service.answer(uow, user, rules, FRAMEWORKS, diagnosis_id=10**6, position=1, value=3) == STALE
    )
    assert await service.resume(uow, other.id, did, FRAMEWORKS) == STALE
    assert await service.result(uow, user.id, did, rules, FRAMEWORKS) == STALE  # not finished yet
    stored = await uow.session.get(Diagnosis, did)
    assert stored is not None and stored.position == 1


async def test_back_pause_and_resume_keep_the_place_and_the_answers(uow: UnitOfWork) -> None:
    user = await _teacher(uow)
    rules = await _rules(uow)
    did = (await service.start(uow, user, rules, FRAMEWORKS)).diagnosis.id
    await service.answer(uow, user, rules, FRAMEWORKS, diagnosis_id=did, position=0, value=NOT_APPLICABLE)
    await service.answer(uow, user, rules, FRAMEWORKS, diagnosis_id=did, position=1, value=2)
    back = await service.back(uow, user.id, did, 2, FRAMEWORKS)
    assert isinstance(back, service.Question) and back.diagnosis.position == 1
    assert sorted(back.answers.values()) == [NOT_APPLICABLE, 2]
    assert await service.back(uow, user.id, did, 2, FRAMEWORKS) == STALE  # the old position
    paused = await service.pause(uow, user.id, did, 1, FRAMEWORKS)
    assert isinstance(paused, service.Paused) and paused.diagnosis.position == 1 and paused.total > 2
    resumed = await service.resume(uow, user.id, did, FRAMEWORKS)
    assert isinstance(resumed, service.Question) and resumed.diagnosis.position == 1
    home = await service.home(uow, user, rules, FRAMEWORKS)
    assert isinstance(home, service.Unfinished) and home.diagnosis.id == did


async def test_starting_again_abandons_the_unfinished_one(uow: UnitOfWork) -> None:
    user = await _teacher(uow)
    rules = await _rules(uow)
    first = (await service.start(uow, user, rules, FRAMEWORKS)).diagnosis.id
    second = (await service.start(uow, user, rules, FRAMEWORKS)).diagnosis.id
    old = await uow.session.get(Diagnosis, first)
    assert old is not None and old.status == Status.ABANDONED and second != first
    assert await service.resume(uow, user.id, first, FRAMEWORKS) == STALE


async def _finish(uow: UnitOfWork, user: User, rules: RegionRules, value: int) -> service.Result:
    question = await service.start(uow, user, rules, FRAMEWORKS)
    total = len(question.framework.statements_for(question.diagnosis.manager))
    outcome: object = question
    for position in range(total):
        outcome = await service.answer(
            uow, user, rules, FRAMEWORKS, diagnosis_id=question.diagnosis.id, position=position, value=value
        )
    assert isinstance(outcome, service.Result)
    return outcome


async def test_a_second_diagnosis_is_compared_with_the_first(uow: UnitOfWork, clock: Clock) -> None:
    user = await _teacher(uow)
    rules = await _rules(uow)
    first = await _finish(uow, user, rules, 4)
    assert first.change == {} and set(first.diagnosis.scores.values()) == {100}
    clock.advance(days=200)
    second = await _finish(uow, user, rules, 1)
    assert second.previous is not None and second.previous.id == first.diagnosis.id
    assert second.change and set(second.change.values()) == {-100}
    assert set(second.change) == set(second.diagnosis.scores)
    again = await service.result(uow, user.id, first.diagnosis.id, rules, FRAMEWORKS)
    assert isinstance(again, service.Result) and again.previous is None  # the first has none before it
