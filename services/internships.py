"""Flow 4: «Стажировки» — the region's стажировочные площадки matched to the teacher (deficits,
subjects, place), filtered, and a seat applied for or given back.

A site of another region, or one that is gone, is ``Stale``; so is applying to a site that has
ended. Seats are counted in the same transaction as the application (``ApplicationRepo.apply``)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.framework import AREA_CODES
from domain.internships import ApplicationStatus, ApplyOutcome, Match, Site, has_free_seat, match_sites
from domain.paging import page_of
from services.results import STALE, Stale
from services.uow import UnitOfWork
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
    """A site, its seats taken, and whether the person holds one of them."""

    site: InternshipSite
    taken: int
    applied: bool

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
    return Card(site, taken, mine is not None and mine.status == ApplicationStatus.APPLIED)


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
    await uow.commit()
    return Applied(outcome, await _card(uow, site, user.id))


async def cancel(uow: UnitOfWork, user: User, site_id: int) -> Card | Stale:
    """Give the seat back; applying again later is allowed."""
    application = await ApplicationRepo(uow.session).find(site_id, user.id)
    site = await CatalogueRepo(uow.session).site(site_id)
    if application is None or application.status != ApplicationStatus.APPLIED or site is None:
        return STALE
    application.status = ApplicationStatus.CANCELLED
    await uow.commit()
    return await _card(uow, site, user.id)


async def mine(uow: UnitOfWork, user_id: int) -> list[InternshipSite]:
    """The sites the person holds a seat at, the latest application first."""
    return list(await ApplicationRepo(uow.session).applied_sites(user_id))
