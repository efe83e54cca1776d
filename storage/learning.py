"""Repositories for diagnoses, catalogues, routes (ИОМ) and internship applications."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from domain.diagnosis import Source as DiagnosisSource
from domain.diagnosis import Status as DiagnosisStatus
from domain.diagnosis import route_basis
from domain.internships import HOLDS_SEAT, ApplicationStatus, ApplyOutcome
from domain.route import DraftItem, RouteStatus
from storage.models import (
    Diagnosis,
    DiagnosisAnswer,
    Event,
    InternshipApplication,
    InternshipSite,
    Program,
    Route,
    RouteItem,
)


class DiagnosisRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def in_progress(self, user_id: int) -> Diagnosis | None:
        return await self.session.scalar(
            select(Diagnosis)
            .where(
                Diagnosis.user_id == user_id,
                Diagnosis.status == DiagnosisStatus.IN_PROGRESS,
                Diagnosis.source == "self",
            )
            .order_by(Diagnosis.id.desc())
        )

    async def latest_done(self, user_id: int, *, before_id: int | None = None) -> Diagnosis | None:
        query = select(Diagnosis).where(
            Diagnosis.user_id == user_id, Diagnosis.status == DiagnosisStatus.DONE, Diagnosis.source == "self"
        )
        if before_id is not None:
            query = query.where(Diagnosis.id < before_id)
        return await self.session.scalar(query.order_by(Diagnosis.id.desc()))

    async def latest_official(self, user_id: int) -> Diagnosis | None:
        """The newest ЦНППМ diagnosis (by the date it was taken, then by when it was recorded)."""
        return await self.session.scalar(
            select(Diagnosis)
            .where(
                Diagnosis.user_id == user_id,
                Diagnosis.status == DiagnosisStatus.DONE,
                Diagnosis.source == DiagnosisSource.CNPPM,
            )
            .order_by(Diagnosis.finished_at.desc(), Diagnosis.id.desc())
        )

    async def officials(self, user_id: int, limit: int) -> Sequence[Diagnosis]:
        """The person's ЦНППМ diagnoses, the newest first."""
        result = await self.session.scalars(
            select(Diagnosis)
            .where(
                Diagnosis.user_id == user_id,
                Diagnosis.status == DiagnosisStatus.DONE,
                Diagnosis.source == DiagnosisSource.CNPPM,
            )
            .order_by(Diagnosis.finished_at.desc(), Diagnosis.id.desc())
            .limit(limit)
        )
        return list(result)

    async def route_basis(self, user_id: int) -> Diagnosis | None:
        """What a new ИОМ is drafted from (``domain.diagnosis.route_basis``): the latest ЦНППМ
        diagnosis, or else the latest self-diagnosis."""
        return route_basis(await self.latest_official(user_id), await self.latest_done(user_id))

    async def get_own(self, diagnosis_id: int, user_id: int) -> Diagnosis | None:
        diagnosis = await self.session.get(Diagnosis, diagnosis_id)
        return diagnosis if diagnosis is not None and diagnosis.user_id == user_id else None

    async def unfinished_own(self, diagnosis_id: int, user_id: int) -> Diagnosis | None:
        """The person's diagnosis ``diagnosis_id`` if it is still in progress."""
        diagnosis = await self.get_own(diagnosis_id, user_id)
        return (
            diagnosis if diagnosis is not None and diagnosis.status == DiagnosisStatus.IN_PROGRESS else None
        )

    async def start(self, user_id: int, framework_version: str, manager: bool, now: datetime) -> Diagnosis:
        diagnosis = Diagnosis(
            user_id=user_id,
            framework_version=framework_version,
            manager=manager,
            started_at=now,
            source="self",
        )
        self.session.add(diagnosis)
        await self.session.flush()
        return diagnosis

    async def answers(self, diagnosis_id: int) -> dict[str, int]:
        rows = await self.session.execute(
            select(DiagnosisAnswer.statement_id, DiagnosisAnswer.level).where(
                DiagnosisAnswer.diagnosis_id == diagnosis_id
            )
        )
        return {statement: level for statement, level in rows.all()}

    async def answer(
        self, diagnosis: Diagnosis, answers: dict[str, int], statement_id: str, level: int, now: datetime
    ) -> None:
        """Record an answer; ``answers`` (the diagnosis's answers so far, as ``answers`` returns
        them) says whether it replaces one, and is updated."""
        if statement_id in answers:
            await self.session.execute(
                update(DiagnosisAnswer)
                .where(DiagnosisAnswer.diagnosis_id == diagnosis.id)
                .where(DiagnosisAnswer.statement_id == statement_id)
                .values(level=level, answered_at=now)
            )
        else:
            answer = DiagnosisAnswer(
                diagnosis_id=diagnosis.id, statement_id=statement_id, level=level, answered_at=now
            )
            self.session.add(answer)
        answers[statement_id] = level


class CatalogueRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def programs(self, region_code: str | None) -> Sequence[Program]:
        query = select(Program).where((Program.region_code.is_(None)) | (Program.region_code == region_code))
        return list(await self.session.scalars(query.order_by(Program.id)))

    async def sites(self, region_code: str | None) -> Sequence[InternshipSite]:
        result = await self.session.scalars(
            select(InternshipSite)
            .where(InternshipSite.region_code == region_code)
            .options(selectinload(InternshipSite.municipality))
            .order_by(InternshipSite.id)
        )
        return list(result)

    async def events(self, region_code: str | None, after: datetime) -> Sequence[Event]:
        result = await self.session.scalars(
            select(Event)
            .where(
                (Event.region_code.is_(None)) | (Event.region_code == region_code), Event.starts_at >= after
            )
            .order_by(Event.starts_at, Event.id)
        )
        return list(result)

    async def site(self, site_id: int) -> InternshipSite | None:
        return await self.session.scalar(
            select(InternshipSite)
            .where(InternshipSite.id == site_id)
            .options(selectinload(InternshipSite.municipality))
        )

    async def taken_seats(self, site_ids: Sequence[int]) -> dict[int, int]:
        rows = await self.session.execute(
            select(InternshipApplication.site_id, func.count())
            .where(
                InternshipApplication.site_id.in_(site_ids),
                InternshipApplication.status.in_(HOLDS_SEAT),
            )
            .group_by(InternshipApplication.site_id)
        )
        return {site_id: count for site_id, count in rows.all()}


class ApplicationRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_user(self, user_id: int) -> Sequence[InternshipApplication]:
        result = await self.session.scalars(
            select(InternshipApplication)
            .where(InternshipApplication.user_id == user_id)
            .order_by(InternshipApplication.created_at.desc())
        )
        return list(result)

    async def applied_sites(self, user_id: int) -> Sequence[tuple[InternshipSite, str]]:
        """The sites the person holds a seat at, with the application's status, the latest first."""
        result = await self.session.execute(
            select(InternshipSite, InternshipApplication.status)
            .join(InternshipApplication, InternshipApplication.site_id == InternshipSite.id)
            .where(
                InternshipApplication.user_id == user_id,
                InternshipApplication.status.in_(HOLDS_SEAT),
            )
            .order_by(InternshipApplication.created_at.desc())
        )
        return [(site, status) for site, status in result.all()]

    async def get(self, application_id: int) -> InternshipApplication | None:
        return await self.session.get(InternshipApplication, application_id)

    async def find(self, site_id: int, user_id: int) -> InternshipApplication | None:
        return await self.session.scalar(
            select(InternshipApplication).where(
                InternshipApplication.site_id == site_id, InternshipApplication.user_id == user_id
            )
        )

    async def apply(self, site: InternshipSite, user_id: int, now: datetime) -> ApplyOutcome:
        """Take a seat: ``applied``, ``duplicate`` or ``full``.

        The seat check and the insert run in one transaction that first takes the database's
        write lock (SQLite) or the site row's lock (PostgreSQL), so two teachers can never get
        the last seat both.
        """
        await self.session.execute(
            update(InternshipSite).where(InternshipSite.id == site.id).values(seats=InternshipSite.seats)
        )
        existing = await self.find(site.id, user_id)
        if existing is not None and existing.status in HOLDS_SEAT:
            return ApplyOutcome.DUPLICATE
        taken = (await CatalogueRepo(self.session).taken_seats([site.id])).get(site.id, 0)
        if taken >= site.seats:
            return ApplyOutcome.FULL
        try:
            # A savepoint: a concurrent duplicate undoes this insert, not the caller's transaction.
            async with self.session.begin_nested():
                if existing is not None:
                    existing.status, existing.created_at = ApplicationStatus.APPLIED, now
                    existing.decided_by = existing.decided_at = existing.answer_seen_at = None
                else:
                    self.session.add(InternshipApplication(site_id=site.id, user_id=user_id, created_at=now))
        except IntegrityError:
            return ApplyOutcome.DUPLICATE
        return ApplyOutcome.APPLIED


class RouteRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self, user_id: int) -> Route | None:
        """The newest route, with its items and the diagnosis it was drafted from."""
        return await self.session.scalar(
            select(Route)
            .where(Route.user_id == user_id)
            .options(selectinload(Route.items), selectinload(Route.diagnosis))
            .order_by(Route.id.desc())
        )

    async def get_own(self, route_id: int, user_id: int) -> Route | None:
        route = await self.session.scalar(
            select(Route)
            .where(Route.id == route_id)
            .options(selectinload(Route.items), selectinload(Route.diagnosis))
        )
        return route if route is not None and route.user_id == user_id else None

    async def item_own(self, item_id: int, user_id: int) -> RouteItem | None:
        item = await self.session.scalar(
            select(RouteItem)
            .where(RouteItem.id == item_id)
            .options(selectinload(RouteItem.route).selectinload(Route.diagnosis))
        )
        return item if item is not None and item.route.user_id == user_id else None

    async def create(
        self,
        user_id: int,
        diagnosis_id: int | None,
        items: Sequence[DraftItem],
        titles: dict[int, str],
        start: date,
        end: date,
    ) -> Route:
        route = Route(
            user_id=user_id, diagnosis_id=diagnosis_id, starts_on=start, ends_on=end, status=RouteStatus.DRAFT
        )
        self.session.add(route)
        await self.session.flush()
        for index, item in enumerate(items):
            self.session.add(
                RouteItem(
                    route_id=route.id,
                    area=item.area,
                    kind=item.kind,
                    form=item.form,
                    title=item.title or titles.get(index, item.kind),
                    program_id=item.program_id,
                    site_id=item.site_id,
                    event_id=item.event_id,
                    hours=item.hours,
                    due_on=item.due,
                    reason={"key": item.reason, "args": item.reason_args},
                )
            )
        await self.session.flush()
        await self.session.refresh(route, ["items", "diagnosis"])
        return route

    async def delete(self, route: Route) -> None:
        """A draft dropped, with its items (drafted again from another diagnosis)."""
        await self.session.delete(route)
        await self.session.flush()

    async def add_item(self, item: RouteItem) -> RouteItem:
        """Add an item to its route (``item.route_id``); it has an id afterwards."""
        self.session.add(item)
        await self.session.flush()
        return item

    async def remove_item(self, item: RouteItem) -> None:
        await self.session.delete(item)
        await self.session.flush()

    async def refresh_items(self, route: Route) -> Route:
        """Reload the route's items after one was added or removed (and its basis, for showing it)."""
        await self.session.refresh(route, ["items", "diagnosis"])
        return route

    # --- the methodist's side (``services.workspace``): the caller has checked the caseload ------

    async def approve(self, route: Route, methodist_id: int, now: datetime) -> None:
        """A submitted route approved; the comment of an earlier return no longer applies."""
        route.status, route.approved_at, route.approved_by, route.comment = "active", now, methodist_id, None

    async def return_for_changes(self, route: Route, comment: str) -> None:
        route.status, route.comment = "returned", comment

    async def confirm_transfer(self, item: RouteItem, methodist_id: int, now: datetime) -> None:
        """A done item's transfer into practice, confirmed by the methodist."""
        item.transfer_confirmed_at, item.transfer_confirmed_by = now, methodist_id
