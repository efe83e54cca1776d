"""services.internships on a real database, without Telegram: matching and filters, the card,
applying for a seat (once, never past the last), withdrawing, and sites out of reach as Stale."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.factory import Database
from domain.internships import ApplicationStatus, ApplyOutcome
from services import internships as service
from services.results import STALE
from services.uow import UnitOfWork
from storage.models import InternshipApplication, InternshipSite
from tests.conftest import Clock
from tests.services.test_route import diagnose, make_user, seed, uow

__all__ = ["uow"]  # the fixture, shared with the route's tests


async def applications(database: Database) -> list[InternshipApplication]:
    async with database.sessionmaker() as session:
        return list(await session.scalars(select(InternshipApplication).order_by(InternshipApplication.id)))


async def test_matches_come_first_with_their_reasons(uow: UnitOfWork, database: Database) -> None:
    ids = await seed(database)
    user = await make_user(uow)
    await diagnose(uow, user, ["methodical"])
    listing = await service.listing(uow, user)
    assert isinstance(listing, service.Listing)
    assert [site.id for _, site in listing.matches] == [ids["s1"], ids["s2"]]
    assert listing.total == 2 and listing.pages == 1 and listing.first == 1
    match, _ = listing.matches[0]
    assert dict(match.reasons) == {
        "match-deficit": ("methodical",),
        "match-subject": ("math",),
        "match-near": (),
    }


async def test_filters_by_area_and_municipality(uow: UnitOfWork, database: Database) -> None:
    ids = await seed(database)
    user = await make_user(uow)
    by_area = await service.listing(uow, user, area="it_digital")
    assert isinstance(by_area, service.Listing) and by_area.area == "it_digital"
    assert [site.id for _, site in by_area.matches] == [ids["s2"]]
    places = await service.municipalities(uow, user)
    assert [p.name for p in places] == sorted(p.name for p in places) and len(places) == 2
    susanino = next(p for p in places if p.name.startswith("Сусанинск"))
    by_place = await service.listing(uow, user, municipality_id=susanino.id)
    assert isinstance(by_place, service.Listing) and by_place.municipality is susanino
    assert [site.id for _, site in by_place.matches] == [ids["s1"]]
    both = await service.listing(uow, user, area="it_digital", municipality_id=susanino.id)
    assert isinstance(both, service.Listing) and both.total == 0 and both.matches == ()
    assert await service.listing(uow, user, area="no-such-area") is STALE


async def test_pages_are_kept_within_the_list(uow: UnitOfWork, database: Database) -> None:
    await seed(database)
    user = await make_user(uow)
    for number in range(7):
        uow.session.add(
            InternshipSite(
                external_id=f"extra{number}",
                region_code="kostroma",
                organisation=f"Школа {number}",
                topic="Тема",
                areas=["subject"],
                subjects=[],
                starts_on=datetime(2027, 1, 1, tzinfo=UTC).date(),
                ends_on=datetime(2027, 1, 5, tzinfo=UTC).date(),
                seats=3,
            )
        )
    await uow.flush()
    last = await service.listing(uow, user, page=99)
    assert isinstance(last, service.Listing)
    assert last.total == 9 and last.pages == 2 and last.page == 1 and last.first == 6
    assert len(last.matches) == 4


async def test_apply_once_then_withdraw_then_apply_again(uow: UnitOfWork, database: Database) -> None:
    ids = await seed(database)
    user = await make_user(uow)
    card = await service.card(uow, user, ids["s1"])
    assert isinstance(card, service.Card) and card.free == 5 and card.can_apply and not card.applied
    applied = await service.apply(uow, user, ids["s1"])
    assert isinstance(applied, service.Applied) and applied.outcome == ApplyOutcome.APPLIED
    assert applied.card.applied and applied.card.free == 4 and not applied.card.can_apply
    again = await service.apply(uow, user, ids["s1"])
    assert isinstance(again, service.Applied) and again.outcome == ApplyOutcome.DUPLICATE
    assert [(s.id, status) for s, status in await service.mine(uow, user.id)] == [(ids["s1"], "applied")]
    [application] = await applications(database)
    assert application.status == ApplicationStatus.APPLIED
    withdrawn = await service.cancel(uow, user, ids["s1"])
    assert isinstance(withdrawn, service.Card) and not withdrawn.applied and withdrawn.free == 5
    assert await service.cancel(uow, user, ids["s1"]) is STALE  # nothing left to withdraw
    assert await service.mine(uow, user.id) == []
    [application] = await applications(database)
    assert application.status == ApplicationStatus.CANCELLED
    back = await service.apply(uow, user, ids["s1"])
    assert isinstance(back, service.Applied) and back.outcome == ApplyOutcome.APPLIED
    assert [a.status for a in await applications(database)] == [ApplicationStatus.APPLIED]


async def test_the_last_seat_goes_to_one_teacher(uow: UnitOfWork, database: Database) -> None:
    ids = await seed(database)
    first, second = await make_user(uow), await make_user(uow, 2002)
    taken = await service.apply(uow, first, ids["s2"])  # one seat
    assert isinstance(taken, service.Applied) and taken.outcome == ApplyOutcome.APPLIED
    card = await service.card(uow, second, ids["s2"])
    assert isinstance(card, service.Card) and card.free == 0 and not card.can_apply
    refused = await service.apply(uow, second, ids["s2"])
    assert isinstance(refused, service.Applied) and refused.outcome == ApplyOutcome.FULL
    assert [a.user_id for a in await applications(database)] == [first.id]


async def test_a_site_out_of_reach_is_stale(uow: UnitOfWork, database: Database, clock: Clock) -> None:
    ids = await seed(database)
    elsewhere = await make_user(uow, 2002, region="kuzbass")
    assert await service.card(uow, elsewhere, ids["s1"]) is STALE
    assert await service.apply(uow, elsewhere, ids["s1"]) is STALE
    listing = await service.listing(uow, elsewhere)
    assert isinstance(listing, service.Listing) and listing.total == 0
    user = await make_user(uow)
    assert await service.card(uow, user, 999_999) is STALE
    assert await service.cancel(uow, user, 999_999) is STALE
    clock.now = datetime(2027, 2, 6, 9, 0, tzinfo=UTC)  # the day after s1 ended
    assert await service.apply(uow, user, ids["s1"]) is STALE
    assert await applications(database) == []
