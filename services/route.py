"""Flow 3: «Мой ИОМ» — drafted from the latest ЦНППМ diagnosis (the latest self-diagnosis, a
preliminary request, only when there is none; ``domain.diagnosis.route_basis``), edited,
submitted to the methodist, its items marked done with evidence, exported.

Every function takes the speaker's id: a route or an item of someone else's, or one that is gone,
is ``Stale``, and so is a change to a route that can no longer be edited (``domain.route.EDITABLE``).
A change to a submitted route takes it back to the draft (``domain.route.after_edit``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.diagnosis import Source
from domain.framework import AREA_CODES, MANAGERS_ONLY
from domain.profile import ProfileError, is_manager, parse_date
from domain.region import Labels
from domain.route import (
    CATALOGUE_KINDS,
    DEFAULT_HOURS,
    GENERIC_KINDS,
    KIND_FORMS,
    REFLECTION_MAX,
    REFLECTION_MIN,
    Catalogue,
    EventOption,
    Evidence,
    ItemKind,
    ItemStatus,
    ProgramOption,
    RouteStatus,
    SiteOption,
    Teacher,
    after_edit,
    can_submit,
    draft_route,
    is_complete,
    is_editable,
    route_end,
)
from services.receivers import Holder, receivers_of
from services.regions import RegionRules
from services.reminders import Button, OpenInbox, hand_off, plan_route_approval, plan_route_items
from services.results import STALE, Invalid, Stale
from services.uow import UnitOfWork
from storage.learning import CatalogueRepo, DiagnosisRepo, RouteRepo
from storage.models import Diagnosis, Route, RouteItem, User
from storage.repositories import DirectoryRepo, UserRepo

# The title of an item without a catalogue entry, in the teacher's language: (kind, area, the
# region's names of the methodical associations) → title. Given by the caller, which translates.
ItemNamer = Callable[[ItemKind, str, Labels], str]
OPTIONS_MAX = 20  # catalogue entries offered at once when adding


@dataclass(frozen=True, slots=True)
class Offer:
    """No route to show (none yet, or the last one completed): offer a draft from ``diagnosis``
    (ЦНППМ's when there is one, else the self-diagnosis), or a self-diagnosis first when there is
    neither."""

    diagnosis: Diagnosis | None
    completed: bool


@dataclass(frozen=True, slots=True)
class Shown:
    """A route with its items; ``newer_basis``: on «Мой ИОМ», a ЦНППМ diagnosis a draft does not
    rest on (it came after the draft) — the draft can be drafted again from it (``redraft``)."""

    route: Route
    newer_basis: Diagnosis | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class Drafted:
    """A new draft (``route.diagnosis`` is its basis); ``from_deficits`` is False when the
    diagnosis found no deficit and the weakest area was taken instead."""

    route: Route
    from_deficits: bool


@dataclass(frozen=True, slots=True)
class Exists:
    """The person already has a route under way: that one is shown rather than a second drafted."""

    route: Route


@dataclass(frozen=True, slots=True)
class NeedDiagnosis:
    """Neither a ЦНППМ diagnosis nor a finished self-diagnosis to draft from."""


@dataclass(frozen=True, slots=True)
class ItemShown:
    """An item with its route (``item.route``)."""

    item: RouteItem


@dataclass(frozen=True, slots=True)
class DateChanged:
    item: RouteItem


@dataclass(frozen=True, slots=True)
class DateOutside:
    """The date is outside the route's period: it must fall within ``starts_on``..``ends_on``."""

    starts_on: date
    ends_on: date


@dataclass(frozen=True, slots=True)
class Marked:
    """An item done; ``completed`` when it was the last, and the route is complete."""

    item: RouteItem
    route: Route
    completed: bool


@dataclass(frozen=True, slots=True)
class AddAreas:
    route: Route
    areas: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Option:
    """A catalogue entry that can be added: its title, kind and id."""

    title: str
    kind: ItemKind
    entry_id: int


@dataclass(frozen=True, slots=True)
class AddOptions:
    """What can be added in ``area``: catalogue entries not in the route yet, then the generic kinds
    the route has no item of in that area."""

    route: Route
    area: str
    entries: tuple[Option, ...]
    generic: tuple[ItemKind, ...]


@dataclass(frozen=True, slots=True)
class Export:
    """What the DOCX shows: the route, its teacher (places loaded) and the diagnosis it came from."""

    route: Route
    user: User
    diagnosis: Diagnosis | None


# --- viewing ------------------------------------------------------------------------------------


async def home(uow: UnitOfWork, user_id: int) -> Shown | Offer:
    """«Мой ИОМ»: the route under way, or the offer of a new one."""
    route = await RouteRepo(uow.session).current(user_id)
    if route is not None and route.status != RouteStatus.COMPLETED:
        return Shown(route, newer_basis=await _newer_basis(uow, route))
    diagnosis = await DiagnosisRepo(uow.session).route_basis(user_id)
    return Offer(diagnosis, completed=route is not None)


async def view(uow: UnitOfWork, user_id: int, route_id: int) -> Shown | Stale:
    route = await RouteRepo(uow.session).get_own(route_id, user_id)
    return STALE if route is None else Shown(route)


async def item(uow: UnitOfWork, user_id: int, item_id: int) -> ItemShown | Stale:
    found = await RouteRepo(uow.session).item_own(item_id, user_id)
    return STALE if found is None else ItemShown(found)


# --- drafting -----------------------------------------------------------------------------------


async def draft(
    uow: UnitOfWork, user: User, rules: RegionRules, name: ItemNamer
) -> Drafted | Exists | NeedDiagnosis:
    """A draft from the latest ЦНППМ diagnosis, or the latest self-diagnosis when there is none:
    every deficit (or the weakest area when there is none) covered from the region's catalogue,
    with reminders before each item's date. ``route.diagnosis_id`` names the diagnosis used."""
    routes = RouteRepo(uow.session)
    existing = await routes.current(user.id)
    if existing is not None and existing.status != RouteStatus.COMPLETED:
        return Exists(existing)
    diagnosis = await DiagnosisRepo(uow.session).route_basis(user.id)
    if diagnosis is None:
        return NeedDiagnosis()
    today = uow.now().date()
    period = rules.thresholds.route_period_months
    deficits = list(diagnosis.deficits) or _weakest(diagnosis.scores)
    young = rules.young_teacher.applies(user.birth_date, user.work_start_year, today)
    teacher = Teacher(frozenset(user.subjects), user.municipality_id, young)
    items = draft_route(
        deficits, teacher, await _catalogue(uow, rules.code), start=today, period_months=period
    )
    labels = await _labels(uow, rules)
    titles = {
        index: name(ItemKind(item.kind), item.area, labels)
        for index, item in enumerate(items)
        if item.title is None
    }
    route = await routes.create(user.id, diagnosis.id, items, titles, today, route_end(today, period))
    await plan_route_items(uow, rules, user.id, list(route.items))
    await uow.commit()
    return Drafted(route, from_deficits=bool(diagnosis.deficits))


async def _newer_basis(uow: UnitOfWork, route: Route) -> Diagnosis | None:
    """The ЦНППМ diagnosis a draft would be drafted from now, if the draft does not rest on it.
    Only a draft: a route sent to the methodist, or approved, is theirs to change."""
    if route.status != RouteStatus.DRAFT:
        return None
    basis = await DiagnosisRepo(uow.session).route_basis(route.user_id)
    if basis is None or basis.source != Source.CNPPM or basis.id == route.diagnosis_id:
        return None
    return basis


async def redraft(
    uow: UnitOfWork, user: User, rules: RegionRules, name: ItemNamer, route_id: int
) -> Drafted | Stale:
    """The person's draft replaced by one drafted from the ЦНППМ diagnosis it does not rest on
    (``Shown.newer_basis``); anything else — another's route, one sent or approved, a draft that
    rests on it already (a second press) — is ``Stale``."""
    routes = RouteRepo(uow.session)
    route = await routes.get_own(route_id, user.id)
    if route is None or await _newer_basis(uow, route) is None:
        return STALE
    await routes.delete(route)  # its items' reminders find no item and are not sent
    drafted = await draft(uow, user, rules, name)
    assert isinstance(drafted, Drafted)  # no route under way now, and a diagnosis to draft from
    return drafted


def _weakest(scores: dict[str, int | None]) -> list[str]:
    scored = sorted((v, k) for k, v in scores.items() if v is not None)
    return [scored[0][1]] if scored else []


async def _labels(uow: UnitOfWork, rules: RegionRules) -> Labels:
    settings = await DirectoryRepo(uow.session).region_settings(rules.code)
    return settings.labels if settings is not None else Labels()


async def _catalogue(uow: UnitOfWork, region_code: str | None) -> Catalogue:
    """The region's programmes, the sites still open and the events still ahead."""
    repo = CatalogueRepo(uow.session)
    now = uow.now()
    programs = [
        ProgramOption(p.id, p.title, p.hours, p.federal_registry, frozenset(p.areas), frozenset(p.subjects))
        for p in await repo.programs(region_code)
    ]
    sites = [
        SiteOption(
            s.id,
            f"{s.organisation}: {s.topic}"[:500],
            s.municipality_id,
            frozenset(s.areas),
            frozenset(s.subjects),
        )
        for s in await repo.sites(region_code)
        if s.ends_on >= now.date()
    ]
    events = [
        EventOption(
            e.id, e.title, e.starts_at.date(), frozenset(e.areas), max(1, round(e.duration_minutes / 60))
        )
        for e in await repo.events(region_code, now)
    ]
    return Catalogue(programs, sites, events)


# --- one item -----------------------------------------------------------------------------------


async def _editable_item(uow: UnitOfWork, user_id: int, item_id: int) -> RouteItem | None:
    """The person's item, if its route can still be changed."""
    found = await RouteRepo(uow.session).item_own(item_id, user_id)
    if found is None or not is_editable(found.route.status):
        return None
    return found


def _edited(route: Route) -> None:
    """A change after submitting needs a new approval."""
    status = after_edit(route.status)
    if status != route.status:
        route.status, route.submitted_at = status, None


async def to_remove(uow: UnitOfWork, user_id: int, item_id: int) -> ItemShown | Stale:
    """The item the person is asked to confirm removing: theirs, on a route that can still change."""
    found = await _editable_item(uow, user_id, item_id)
    return STALE if found is None else ItemShown(found)


async def remove_item(uow: UnitOfWork, user_id: int, item_id: int) -> Shown | Stale:
    """Remove the item (confirmed); ``Stale`` if it is gone (a second «Да»), someone else's, or its
    route can no longer change."""
    found = await _editable_item(uow, user_id, item_id)
    if found is None:
        return STALE
    routes = RouteRepo(uow.session)
    route = found.route
    await routes.remove_item(found)
    _edited(route)
    await uow.commit()
    return Shown(await routes.refresh_items(route))


async def ask_date(uow: UnitOfWork, user_id: int, item_id: int) -> ItemShown | Stale:
    """The item whose date the person is about to type (its route's period bounds the answer)."""
    found = await _editable_item(uow, user_id, item_id)
    return STALE if found is None else ItemShown(found)


async def change_date(
    uow: UnitOfWork, user_id: int, rules: RegionRules, item_id: int, text: str | None
) -> DateChanged | DateOutside | Invalid | Stale:
    """A typed date (ДД.ММ.ГГГГ) within the route's period; the item's reminders move with it.
    ``Invalid`` (the date's error key, with the period as ``start``/``end``) when it is no date."""
    found = await _editable_item(uow, user_id, item_id)
    if found is None:
        return STALE
    route = found.route
    try:
        due = parse_date(text)
    except ProfileError as err:
        return Invalid(err.code, {"start": route.starts_on, "end": route.ends_on})
    if not route.starts_on <= due <= route.ends_on:
        return DateOutside(route.starts_on, route.ends_on)
    found.due_on = due
    _edited(route)
    await plan_route_items(uow, rules, user_id, [found])
    await uow.commit()
    return DateChanged(found)


async def ask_evidence(uow: UnitOfWork, user_id: int, item_id: int) -> ItemShown | Stale:
    """The item the person is about to confirm: not done yet, its route still open."""
    found = await _editable_item(uow, user_id, item_id)
    if found is None or found.status == ItemStatus.DONE:
        return STALE
    return ItemShown(found)


async def mark_done(
    uow: UnitOfWork, user_id: int, item_id: int, evidence: Evidence | None
) -> Marked | Invalid | Stale:
    """Mark an item done with its evidence (``domain.route.evidence_of``; None when the message
    carried none: ``Invalid``). The last item done completes the route."""
    found = await _editable_item(uow, user_id, item_id)
    if found is None or found.status == ItemStatus.DONE:
        return STALE
    if evidence is None:
        return Invalid("route-evidence-invalid", {"min": REFLECTION_MIN, "max": REFLECTION_MAX})
    now = uow.now()
    found.evidence_kind, found.evidence, found.evidence_name = evidence.kind, evidence.value, evidence.name
    found.status, found.done_at = ItemStatus.DONE, now
    route = await RouteRepo(uow.session).get_own(found.route_id, user_id)
    assert route is not None  # the item is the person's, so is its route
    completed = is_complete(i.status for i in route.items)
    if completed:
        route.status, route.completed_at = RouteStatus.COMPLETED, now
    await uow.commit()
    return Marked(found, route, completed)


# --- adding from the catalogue ------------------------------------------------------------------


async def _editable_route(uow: UnitOfWork, user_id: int, route_id: int) -> Route | None:
    route = await RouteRepo(uow.session).get_own(route_id, user_id)
    return route if route is not None and is_editable(route.status) else None


def _areas(user: User) -> tuple[str, ...]:
    """The areas a person can add items in: the managerial one only for managers."""
    return tuple(a for a in AREA_CODES if a not in MANAGERS_ONLY or is_manager(user.position))


async def add_areas(uow: UnitOfWork, user: User, route_id: int) -> AddAreas | Stale:
    route = await _editable_route(uow, user.id, route_id)
    return STALE if route is None else AddAreas(route, _areas(user))


async def add_options(
    uow: UnitOfWork, user: User, rules: RegionRules, route_id: int, area: str
) -> AddOptions | Stale:
    route = await _editable_route(uow, user.id, route_id)
    if route is None or area not in AREA_CODES:
        return STALE
    catalogue = await _catalogue(uow, rules.code)
    have = {(i.kind, i.program_id or i.site_id or i.event_id) for i in route.items}
    have_generic = {(i.kind, i.area) for i in route.items}
    entries = [
        *(Option(p.title, ItemKind.COURSE, p.id) for p in catalogue.programs if area in p.areas),
        *(Option(s.title, ItemKind.INTERNSHIP, s.id) for s in catalogue.sites if area in s.areas),
        *(Option(e.title, ItemKind.EVENT, e.id) for e in catalogue.events if area in e.areas),
    ]
    fresh = [o for o in entries if (o.kind, o.entry_id) not in have]
    generic = tuple(kind for kind in GENERIC_KINDS if (kind, area) not in have_generic)
    return AddOptions(route, area, tuple(fresh[:OPTIONS_MAX]), generic)


async def add_item(
    uow: UnitOfWork,
    user: User,
    rules: RegionRules,
    name: ItemNamer,
    *,
    route_id: int,
    kind: str,
    area: str,
    entry_id: int = 0,
) -> Shown | Stale:
    """Add a catalogue entry (``entry_id`` of ``kind`` course, internship or event) or a generic
    item of ``kind`` in ``area``. One already in the route (a second press) is ``Stale``."""
    route = await _editable_route(uow, user.id, route_id)
    if route is None or area not in AREA_CODES or kind not in KIND_FORMS:
        return STALE
    new = RouteItem(
        route_id=route.id,
        area=area,
        kind=kind,
        form=KIND_FORMS[kind],
        due_on=route.ends_on,
        reason={"key": "reason-added", "args": {}},
    )
    if kind in CATALOGUE_KINDS:
        entry = await _entry(uow, rules, ItemKind(kind), area, entry_id)
        if entry is None or any(
            (i.kind, i.program_id or i.site_id or i.event_id) == (kind, entry_id) for i in route.items
        ):
            return STALE
        new.title, new.hours = entry.title, entry.hours
        if isinstance(entry, ProgramOption):
            new.program_id = entry.id
        elif isinstance(entry, SiteOption):
            new.site_id = entry.id
        else:
            new.event_id = entry.id
            new.due_on = min(max(entry.day, route.starts_on), route.ends_on)
    elif kind in GENERIC_KINDS:
        if any((i.kind, i.area) == (kind, area) for i in route.items):
            return STALE
        new.title = name(ItemKind(kind), area, await _labels(uow, rules))
        new.hours = DEFAULT_HOURS.get(kind, 0)
    else:
        return STALE  # mentorship is drafted, never added by hand
    await RouteRepo(uow.session).add_item(new)
    _edited(route)
    await plan_route_items(uow, rules, user.id, [new])
    await uow.commit()
    return Shown(await RouteRepo(uow.session).refresh_items(route))


async def _entry(
    uow: UnitOfWork, rules: RegionRules, kind: ItemKind, area: str, entry_id: int
) -> ProgramOption | SiteOption | EventOption | None:
    """The catalogue entry a button names, if it is still offered in ``area``."""
    catalogue = await _catalogue(uow, rules.code)
    options: Sequence[ProgramOption | SiteOption | EventOption]
    if kind == ItemKind.COURSE:
        options = catalogue.programs
    elif kind == ItemKind.INTERNSHIP:
        options = catalogue.sites
    else:
        options = catalogue.events
    return next((o for o in options if o.id == entry_id and area in o.areas), None)


# --- submit and export --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Submitted(Shown):
    """A route sent for approval, and who has it (``services.receivers``): the teacher's methodist,
    the region's admins while there is none (each told, and it waits in their «Входящие»), or,
    with neither in the bot yet, nobody — the teacher must be told which."""

    holder: Holder


async def submit(uow: UnitOfWork, user_id: int, route_id: int) -> Submitted | Invalid | Stale:
    """Send a draft (or a returned route) to the methodist, who is reminded to approve it.
    ``Invalid("route-submit-empty")`` for a route without items."""
    route = await RouteRepo(uow.session).get_own(route_id, user_id)
    if route is None or not can_submit(route.status):
        return STALE
    if not route.items:
        return Invalid("route-submit-empty")
    now = uow.now()
    route.status, route.submitted_at = RouteStatus.SUBMITTED, now
    teacher = await uow.session.get(User, user_id)
    assert teacher is not None  # the route is theirs
    receivers = await receivers_of(uow, teacher)
    if receivers.holder == Holder.METHODIST:
        await plan_route_approval(uow, route, now)
    for admin in receivers.people if receivers.holder == Holder.ADMINS else ():
        await hand_off(
            uow,
            admin.id,
            "route-notify-no-methodist",
            {"name": teacher.full_name or "—"},
            (Button("inbox-btn-open-inbox", OpenInbox()),),
            sender=teacher,
            ref=("route", route.id),
        )
    await uow.commit()
    return Submitted(route, receivers.holder)


async def export(uow: UnitOfWork, user: User, route_id: int) -> Export | Stale:
    route = await RouteRepo(uow.session).get_own(route_id, user.id)
    if route is None:
        return STALE
    await UserRepo(uow.session).load_places(user)
    diagnosis = await DiagnosisRepo(uow.session).get_own(route.diagnosis_id or 0, user.id)
    return Export(route, user, diagnosis)
