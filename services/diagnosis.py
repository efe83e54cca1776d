"""Flow 2: «Самодиагностика» — a self-assessment, the teacher's preliminary request (запрос); the
official diagnosis is ЦНППМ's (``official``). One statement at a time, every answer stored as it is given.

The position lives in the diagnosis row, so the teacher can pause and continue days later at the
same statement. A button names the diagnosis and the statement it answers: anything but the
statement being asked, of the person's own unfinished diagnosis, is ``Stale``."""

from __future__ import annotations

from dataclasses import dataclass

from domain import diagnosis as scoring
from domain.diagnosis import Status
from domain.framework import Framework
from domain.profile import is_manager
from services.regions import RegionRules
from services.reminders import plan_rediagnosis, plan_unfinished_diagnosis
from services.results import STALE, Stale
from services.uow import UnitOfWork
from storage.frameworks import Frameworks
from storage.learning import DiagnosisRepo
from storage.models import Diagnosis, User


@dataclass(frozen=True, slots=True)
class NeedProfile:
    """The profile is not complete: the diagnosis needs the position (teacher or manager)."""


@dataclass(frozen=True, slots=True)
class Unfinished:
    """A diagnosis waits at ``diagnosis.position`` of ``total`` statements."""

    diagnosis: Diagnosis
    total: int


@dataclass(frozen=True, slots=True)
class Intro:
    """Nothing unfinished: how many statements a new one has, and the last finished one if any."""

    statements: int
    last: Diagnosis | None


@dataclass(frozen=True, slots=True)
class Question:
    """The statement at ``diagnosis.position``, with the answers given so far."""

    diagnosis: Diagnosis
    framework: Framework
    answers: dict[str, int]


@dataclass(frozen=True, slots=True)
class Paused:
    diagnosis: Diagnosis
    total: int


@dataclass(frozen=True, slots=True)
class Result:
    """A finished diagnosis, the one before it, the change of each area's score since then, and
    the deficit threshold."""

    diagnosis: Diagnosis
    framework: Framework
    previous: Diagnosis | None
    change: dict[str, int]  # area code → points since ``previous`` (areas scored both times)
    threshold: int


async def home(
    uow: UnitOfWork, user: User, rules: RegionRules, frameworks: Frameworks
) -> NeedProfile | Unfinished | Intro:
    """What «Самодиагностика» opens on: ``NeedProfile``, ``Unfinished`` or ``Intro``."""
    if user.profile_completed_at is None:
        return NeedProfile()
    repo = DiagnosisRepo(uow.session)
    current = await repo.in_progress(user.id)
    if current is not None:
        framework = frameworks.get(current.framework_version)
        return Unfinished(current, len(framework.statements_for(current.manager)))
    framework = frameworks.get(rules.framework)
    last = await repo.latest_done(user.id)
    return Intro(len(framework.statements_for(is_manager(user.position))), last)


async def start(uow: UnitOfWork, user: User, rules: RegionRules, frameworks: Frameworks) -> Question:
    """A new diagnosis on the region's framework; an unfinished one is abandoned."""
    repo = DiagnosisRepo(uow.session)
    unfinished = await repo.in_progress(user.id)
    if unfinished is not None:
        unfinished.status = Status.ABANDONED
    diagnosis = await repo.start(user.id, rules.framework, is_manager(user.position), uow.now())
    await plan_unfinished_diagnosis(uow, rules, user.id, diagnosis)
    await uow.commit()
    return Question(diagnosis, frameworks.get(rules.framework), {})


async def resume(
    uow: UnitOfWork, user_id: int, diagnosis_id: int, frameworks: Frameworks
) -> Question | Stale:
    repo = DiagnosisRepo(uow.session)
    diagnosis = await repo.unfinished_own(diagnosis_id, user_id)
    if diagnosis is None:
        return STALE
    answers = await repo.answers(diagnosis.id)
    return Question(diagnosis, frameworks.get(diagnosis.framework_version), answers)


async def _asked(uow: UnitOfWork, user_id: int, diagnosis_id: int, position: int) -> Diagnosis | None:
    """The person's unfinished diagnosis, if ``position`` is the statement it is asking."""
    diagnosis = await DiagnosisRepo(uow.session).unfinished_own(diagnosis_id, user_id)
    return diagnosis if diagnosis is not None and diagnosis.position == position else None


async def pause(
    uow: UnitOfWork, user_id: int, diagnosis_id: int, position: int, frameworks: Frameworks
) -> Paused | Stale:
    diagnosis = await _asked(uow, user_id, diagnosis_id, position)
    if diagnosis is None:
        return STALE
    framework = frameworks.get(diagnosis.framework_version)
    return Paused(diagnosis, len(framework.statements_for(diagnosis.manager)))


async def back(
    uow: UnitOfWork, user_id: int, diagnosis_id: int, position: int, frameworks: Frameworks
) -> Question | Stale:
    """The statement before the one being asked (its answer stays until changed)."""
    diagnosis = await _asked(uow, user_id, diagnosis_id, position)
    if diagnosis is None:
        return STALE
    diagnosis.position = max(0, diagnosis.position - 1)
    await uow.commit()
    answers = await DiagnosisRepo(uow.session).answers(diagnosis.id)
    return Question(diagnosis, frameworks.get(diagnosis.framework_version), answers)


async def answer(
    uow: UnitOfWork,
    user: User,
    rules: RegionRules,
    frameworks: Frameworks,
    *,
    diagnosis_id: int,
    position: int,
    value: int,
) -> Question | Result | Stale:
    """Store the answer to the statement being asked; the next statement, or the result after
    the last (scored with the region's thresholds, a re-diagnosis reminder planned)."""
    diagnosis = await _asked(uow, user.id, diagnosis_id, position)
    if diagnosis is None or not scoring.is_answer(value):
        return STALE
    repo = DiagnosisRepo(uow.session)
    framework = frameworks.get(diagnosis.framework_version)
    questions = framework.statements_for(diagnosis.manager)
    answers = await repo.answers(diagnosis.id)
    _, statement = questions[diagnosis.position]
    await repo.answer(diagnosis, answers, statement.id, value, uow.now())
    diagnosis.position += 1
    if diagnosis.position < len(questions):
        await uow.commit()
        return Question(diagnosis, framework, answers)
    scored = scoring.score(
        framework,
        answers,
        manager=diagnosis.manager,
        deficit_below=rules.thresholds.deficit_threshold,
        strength_from=rules.thresholds.strength_threshold,
    )
    diagnosis.status = Status.DONE
    diagnosis.finished_at = uow.now()
    diagnosis.scores = scored.scores()
    diagnosis.deficits = list(scored.deficits)
    diagnosis.strengths = list(scored.strengths)
    await plan_rediagnosis(uow, rules, user.id, diagnosis)
    await uow.commit()
    return await _result(uow, diagnosis, framework, rules)


async def result(
    uow: UnitOfWork, user_id: int, diagnosis_id: int, rules: RegionRules, frameworks: Frameworks
) -> Result | Stale:
    """A finished diagnosis of the person's own."""
    diagnosis = await DiagnosisRepo(uow.session).get_own(diagnosis_id, user_id)
    if diagnosis is None or diagnosis.status != Status.DONE:
        return STALE
    return await _result(uow, diagnosis, frameworks.get(diagnosis.framework_version), rules)


async def _result(uow: UnitOfWork, diagnosis: Diagnosis, framework: Framework, rules: RegionRules) -> Result:
    previous = await DiagnosisRepo(uow.session).latest_done(diagnosis.user_id, before_id=diagnosis.id)
    change = scoring.change(diagnosis.scores, previous.scores) if previous else {}
    return Result(diagnosis, framework, previous, change, rules.thresholds.deficit_threshold)


# --- the official ЦНППМ results ---------------------------------------------------------------

OFFICIAL_SHOWN = 5  # the newest official diagnoses the teacher's screen lists


@dataclass(frozen=True, slots=True)
class Official:
    """The person's ЦНППМ diagnoses, the newest first (``OFFICIAL_SHOWN`` at most), each with its
    framework: a result per area and the deficits as ЦНППМ recorded them, the date, the instrument."""

    diagnoses: list[tuple[Diagnosis, Framework]]


async def official(uow: UnitOfWork, user_id: int, frameworks: Frameworks) -> Official:
    found = await DiagnosisRepo(uow.session).officials(user_id, OFFICIAL_SHOWN)
    return Official([(d, frameworks.get(d.framework_version)) for d in found])
