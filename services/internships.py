"""Flow 4: «Стажировки» — the region's стажировочные площадки matched to the teacher (deficits,
subjects, place), filtered, and a seat applied for or given back.

A site of another region, or one that is gone, is ``Stale``; so is applying to a site that has
ended. Seats are counted in the same transaction as the application (``ApplicationRepo.apply``)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.framework import AREA_CODES
from domain.internships import (
    WITHDRAWABLE,
    ApplicationStatus,
    ApplyOutcome,
    Decision,
    Match,
    Site,
    has_free_seat,
    match_sites,
)
from domain.internships import decide as decide_status
from domain.paging import page_of
from domain.roles import Role
from services.receivers import Holder, may_answer_for, receivers_of
from services.reminders import Button, OpenInbox, hand_off
from services.results import DENIED, STALE, Denied, Stale
from services.uow import UnitOfWork
from storage.audit import audit
from storage.learning import ApplicationRepo, CatalogueRepo, DiagnosisRepo
from storage.models import InternshipSite, Municipality, User

PAGE = 5


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of the matching sites, best first. ``matches`` is the page's, numbered from
    ``first``; ``municipality`` is the filter's place (None when not filtered or unknown)."""

    matches: tuple[tuple[Match, InternshipSite], ...]
    first: int
    total: int
    page: int
    pages: int
    area: str
    municipality_id: int
    municipality: Municipality | None


@dataclass(frozen=True, slots=True)
class Card:
    """A site, its seats taken, and the person's application to it (its status), if any."""

    site: InternshipSite
    taken: int
    status: ApplicationStatus | None = None

    @property
    def applied(self) -> bool:
        """The person holds a seat they may still give back."""
        return self.status in WITHDRAWABLE

    @property
    def free(self) -> int:
        return max(0, self.site.seats - self.taken)

    @property
    def can_apply(self) -> bool:
        return not self.applied and has_free_seat(self.site.seats, self.taken)


@dataclass(frozen=True, slots=True)
class Applied:
    """What became of an application, and the card as it is now."""

    outcome: ApplyOutcome
    card: Card
    holder: Holder | None = None  # who answers it (on ``APPLIED``)


@dataclass(frozen=True, slots=True)
class Decided:
    """An application answered: the teacher is told (a hand-off)."""

    status: ApplicationStatus
    teacher: User
    site: InternshipSite


async def listing(
    uow: UnitOfWork, user: User, *, page: int = 0, area: str = "", municipality_id: int = 0
) -> Listing | Stale:
    """The sites still open in the person's region that pass the filters (an area, a municipality),
    matched to the latest self-diagnosis's deficits, the person's subjects and place."""
    if area and area not in AREA_CODES:
        return STALE
    sites = await CatalogueRepo(uow.session).sites(user.region_code)
    diagnosis = await DiagnosisRepo(uow.session).latest_done(user.id)
    matches = match_sites(
        [
            Site(s.id, frozenset(s.areas), frozenset(s.subjects), s.municipality_id, s.ends_on, s.format)
            for s in sites
        ],
        deficits=diagnosis.deficits if diagnosis else [],
        subjects=frozenset(user.subjects),
        municipality_id=user.municipality_id,
        today=uow.now().date(),
        area=area or None,
        municipality_filter=municipality_id or None,
    )
    by_id = {s.id: s for s in sites}
    on_page, page, pages = page_of(matches, page, PAGE)
    shown = tuple((m, by_id[m.site_id]) for m in on_page)
    place = None
    if municipality_id:
        place = next((s.municipality for s in sites if s.municipality_id == municipality_id), None)
    return Listing(shown, page * PAGE + 1, len(matches), page, pages, area, municipality_id, place)


async def municipalities(uow: UnitOfWork, user: User) -> list[Municipality]:
    """The places with a site in the person's region, by name."""
    sites = await CatalogueRepo(uow.session).sites(user.region_code)
    places = {s.municipality.id: s.municipality for s in sites if s.municipality is not None}
    return sorted(places.values(), key=lambda m: (m.name, m.id))


async def _card(uow: UnitOfWork, site: InternshipSite, user_id: int) -> Card:
    taken = (await CatalogueRepo(uow.session).taken_seats([site.id])).get(site.id, 0)
    mine = await ApplicationRepo(uow.session).find(site.id, user_id)
    return Card(site, taken, ApplicationStatus(mine.status) if mine is not None else None)


async def _regional_site(uow: UnitOfWork, user: User, site_id: int) -> InternshipSite | None:
    site = await CatalogueRepo(uow.session).site(site_id)
    return site if site is not None and site.region_code == user.region_code else None


async def card(uow: UnitOfWork, user: User, site_id: int) -> Card | Stale:
    site = await _regional_site(uow, user, site_id)
    return STALE if site is None else await _card(uow, site, user.id)


async def apply(uow: UnitOfWork, user: User, site_id: int) -> Applied | Stale:
    """Take a seat at a site of the person's region that has not ended: ``APPLIED``, or
    ``DUPLICATE`` (a seat already held) or ``FULL`` (none left), nothing changed."""
    site = await _regional_site(uow, user, site_id)
    if site is None or site.ends_on < uow.now().date():
        return STALE
    outcome = await ApplicationRepo(uow.session).apply(site, user.id, uow.now())
    holder = None
    if outcome == ApplyOutcome.APPLIED:
        receivers = await receivers_of(uow, user)
        holder = receivers.holder
        for person in receivers.people:
            await hand_off(
                uow,
                person.id,
                "site-notify-applied"
                if receivers.holder == Holder.METHODIST
                else "site-notify-applied-no-methodist",
                {"name": user.full_name or "—", "organisation": site.organisation, "start": site.starts_on},
                (Button("inbox-btn-open-inbox", OpenInbox()),),
                sender=user,
                ref=("internship_site", site.id),
            )
    await uow.commit()
    return Applied(outcome, await _card(uow, site, user.id), holder)


async def cancel(uow: UnitOfWork, user: User, site_id: int) -> Card | Stale:
    """Give the seat back; applying again later is allowed."""
    application = await ApplicationRepo(uow.session).find(site_id, user.id)
    site = await CatalogueRepo(uow.session).site(site_id)
    if application is None or application.status not in WITHDRAWABLE or site is None:
        return STALE
    application.status = ApplicationStatus.CANCELLED
    await uow.commit()
    return await _card(uow, site, user.id)


async def mine(uow: UnitOfWork, user_id: int) -> list[tuple[InternshipSite, ApplicationStatus]]:
    """The sites the person holds a seat at with the application's status, the latest first."""
    return [
        (site, ApplicationStatus(status))
        for site, status in await ApplicationRepo(uow.session).applied_sites(user_id)
    ]


async def decide(
    uow: UnitOfWork, actor: User, role: Role, application_id: int, decision: Decision
) -> Decided | Stale | Denied:
    """Accept or decline an application, or mark an accepted internship completed — by the
    teacher's methodist or, while they have none, an admin of their region. An application answered
    already (by anyone entitled), withdrawn, or someone else's teacher's is ``Stale``."""
    repo = ApplicationRepo(uow.session)
    application = await repo.get(application_id)
    if application is None:
        return STALE
    teacher = await uow.session.get(User, application.user_id)
    site = await CatalogueRepo(uow.session).site(application.site_id)
    if teacher is None or site is None:
        return STALE
    if role not in (Role.METHODIST, Role.ADMIN):
        return DENIED
    if not await may_answer_for(uow, actor, role, teacher):
        return STALE
    status = decide_status(application.status, decision)
    if status is None:
        return STALE
    now = uow.now()
    application.status, application.decided_by, application.decided_at = status, actor.id, now
    application.answer_seen_at = None
    await audit(
        uow.session,
        actor.id,
        f"internship.{decision}",
        target_type="user",
        target_id=teacher.id,
        application=application.id,
    )
    await hand_off(
        uow,
        teacher.id,
        f"site-notify-{status}",
        {"organisation": site.organisation, "start": site.starts_on, "name": actor.full_name or "—"},
        (Button("inbox-btn-open-inbox", OpenInbox()),),
        sender=actor,
        ref=("application", application.id),
    )
    await uow.commit()
    return Decided(status, teacher, site)


async def answer_seen(uow: UnitOfWork, user: User, application_id: int) -> Stale | None:
    """The teacher has read the answer to their application: it leaves their «Входящие»."""
    application = await ApplicationRepo(uow.session).get(application_id)
    if application is None or application.user_id != user.id or application.decided_at is None:
        return STALE
    if application.answer_seen_at is None:
        application.answer_seen_at = uow.now()
        await uow.commit()
    return None
