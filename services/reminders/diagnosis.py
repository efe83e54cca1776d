"""Reminders of the self-diagnosis: an unfinished one, and the next one a year (the region's
``rediagnosis_months``) after the last."""

from __future__ import annotations

from datetime import timedelta

from domain import reminders as policy
from domain.route import add_months
from services.regions import RegionRules
from services.reminders.registry import (
    Button,
    Due,
    NoPayload,
    PlainKind,
    ResumeDiagnosis,
    StartDiagnosis,
    View,
    register,
    schedule,
)
from services.uow import UnitOfWork
from storage.learning import DiagnosisRepo
from storage.models import Diagnosis

UNFINISHED = "diagnosis_unfinished"
REDIAGNOSIS = "rediagnosis"


class UnfinishedDiagnosis(PlainKind[Diagnosis]):
    names = (UNFINISHED,)
    group = "diagnosis"
    snoozable = True

    async def load(self, uow: UnitOfWork, due: Due[NoPayload]) -> Diagnosis | None:
        return await DiagnosisRepo(uow.session).unfinished_own(due.ref_id or 0, due.user.id)

    def show(self, due: Due[NoPayload], diagnosis: Diagnosis) -> View:
        return View(
            "remind-diagnosis-unfinished",
            {"done": diagnosis.position},
            (Button("diag-btn-resume", ResumeDiagnosis(diagnosis.id)),),
        )


class Rediagnosis(PlainKind[Diagnosis]):
    names = (REDIAGNOSIS,)
    group = "diagnosis"
    snoozable = True

    async def load(self, uow: UnitOfWork, due: Due[NoPayload]) -> Diagnosis | None:
        """Only while the diagnosis it follows is still the person's latest."""
        latest = await DiagnosisRepo(uow.session).latest_done(due.user.id)
        return latest if latest is not None and latest.id == due.ref_id else None

    def show(self, due: Due[NoPayload], latest: Diagnosis) -> View:
        return View(
            "remind-rediagnosis",
            {"date": (latest.finished_at or latest.started_at).date()},
            (Button("diag-btn-again", StartDiagnosis()),),
        )


register(UnfinishedDiagnosis())
register(Rediagnosis())


async def plan_unfinished_diagnosis(
    uow: UnitOfWork, rules: RegionRules, user_id: int, diagnosis: Diagnosis
) -> None:
    await schedule(
        uow,
        UNFINISHED,
        user_id,
        f"diag_unfinished:{diagnosis.id}",
        diagnosis.started_at + timedelta(days=rules.reminders.unfinished_diagnosis_days),
        NoPayload(),
        ref_type="diagnosis",
        ref_id=diagnosis.id,
    )


async def plan_rediagnosis(uow: UnitOfWork, rules: RegionRules, user_id: int, diagnosis: Diagnosis) -> None:
    finished = policy.local(diagnosis.finished_at or diagnosis.started_at, rules.timezone).date()
    await schedule(
        uow,
        REDIAGNOSIS,
        user_id,
        f"rediag:{diagnosis.id}",
        policy.at_local(
            add_months(finished, rules.reminders.rediagnosis_months), policy.REMIND_AT, rules.timezone
        ),
        NoPayload(),
        ref_type="diagnosis",
        ref_id=diagnosis.id,
    )
