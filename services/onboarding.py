"""Flow 1: the consent, invites, and the profile wizard (which also edits a field from «Профиль»).

Every answer is stored in the person's row as it is given, and what is asked next is decided from
what the profile still lacks (``domain.profile.missing_steps``), so an interrupted wizard continues
at the first missing answer. The conversation keeps only a little (``Wizard``): the subjects ticked
so far, the picker's search, whether a field is being edited.

Methodists and admins (an invite, ``ADMIN_IDS``: stored as admins from the consent) answer a staff
profile instead: the role title, the organisation, the region, the municipality for municipal
staff, and «Я тоже педагог», which adds the teacher's questions."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from domain import profile as profile_rules
from domain.profile import Position, ProfileError, Qualification, Step
from domain.roles import Role, StaffTitle, effective_role
from services import inbox
from services.profile import ProfileCard, card
from services.regions import RegionRules
from services.results import STALE, Invalid, Stale
from services.uow import UnitOfWork
from storage.caseload import assign_by_rules
from storage.cnppm_import import attach_pending
from storage.models import Region, User
from storage.repositories import DirectoryRepo, InviteRepo, UserRepo

log = logging.getLogger(__name__)

SEARCH_MAX = 100  # characters of a picker search that count
PICKERS = (Step.MUNICIPALITY, Step.SCHOOL)
# «Нет в списке» under a picker: the name is typed instead.
TYPED_INSTEAD = {Step.MUNICIPALITY: Step.MUNICIPALITY_CUSTOM, Step.SCHOOL: Step.SCHOOL_CUSTOM}


@dataclass(slots=True)
class Wizard:
    """The wizard's conversation data, kept between messages by the messenger's adapter."""

    invite: str | None = None  # an invite code from /start, redeemed at the consent
    locale: str | None = None  # the language chosen before the consent (nothing else is stored)
    editing: bool = False  # one field edited from «Профиль»: the card comes back at the end
    query: str | None = None  # what was typed to narrow the picker
    subjects: list[str] | None = None  # the subjects ticked so far

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Wizard:
        return cls(**{f.name: data[f.name] for f in fields(cls) if data.get(f.name) is not None})

    def as_dict(self) -> dict[str, Any]:
        """Only what is set: the conversation record stays as small as it was."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: value for name, value in values.items() if value is not None and value is not False}


@dataclass(frozen=True, slots=True)
class Picker:
    """A directory to pick from (municipalities of the region, schools of the municipality)."""

    step: Step  # MUNICIPALITY or SCHOOL
    items: Sequence[tuple[int, str]]  # (id, name) to list: the matches, or all when nothing matched
    query: str | None = None  # the search that narrowed it
    matched: bool = True  # False: the search matched nothing, and ``items`` is the whole directory
    page: int = 0


@dataclass(frozen=True, slots=True)
class Ask:
    """The question to ask next."""

    step: Step
    regions: Sequence[Region] = ()  # for REGION
    picker: Picker | None = None  # for MUNICIPALITY and SCHOOL
    subjects: tuple[str, ...] = ()  # for SUBJECTS: ticked already
    resumed: bool = False  # the wizard is taken up again (/start in the middle): «Продолжим»


@dataclass(frozen=True, slots=True)
class Completed:
    """The last missing answer given: the profile is complete (the main menu opens).
    ``official``: ЦНППМ diagnoses imported before the person registered, now theirs."""

    card: ProfileCard
    official: int = 0


@dataclass(frozen=True, slots=True)
class Edited:
    """A field edited from «Профиль»: the card again."""

    card: ProfileCard


@dataclass(frozen=True, slots=True)
class Ready:
    """Nothing missing, nothing edited: the main menu (with what waits in «Входящие»)."""

    welcome_back: bool = False
    waiting: int = 0


Next = Ask | Completed | Edited | Ready


@dataclass(frozen=True, slots=True)
class Saved:
    """A place chosen by button, stored: the choice (to close the question with) and what is next."""

    next: Next
    region: Region | None = None
    place: str | None = None  # the municipality's or school's name


@dataclass(frozen=True, slots=True)
class Started:
    """/start or the consent: the invite's outcome, the person's role now, and what is next."""

    next: Next
    role: Role
    invite: Role | Invalid | None = None  # the role after a redeemed invite; Invalid; no invite


# --- the consent, /start and invites ------------------------------------------------------------


async def consent(
    uow: UnitOfWork,
    telegram_id: int,
    user: User | None,
    locale: str,
    rules: RegionRules,
    *,
    invite: str | None,
    admin_ids: tuple[int, ...],
    messenger: str = "telegram",
) -> Started:
    """The person agreed to the processing of their data: they are stored from now on (in the
    language they chose, with their account on ``messenger``), the invite they came with is
    redeemed, and the wizard begins. ``admin_ids`` are ids on that messenger."""
    if user is None:
        user = await UserRepo(uow.session).create(telegram_id, locale, uow.now(), messenger)
        if telegram_id in admin_ids:
            user.role = Role.ADMIN  # an admin from the first /start: the staff profile is asked
        await uow.commit()
        log.info("consent given", extra={"user_id": user.id})
    return await _started(uow, user, rules, invite=invite, admin_ids=admin_ids, welcome_back=False)


async def restart(
    uow: UnitOfWork, user: User, rules: RegionRules, *, invite: str | None, admin_ids: tuple[int, ...]
) -> Started:
    """/start from someone who consented: the invite (if any) redeemed, then the missing answer,
    or the main menu."""
    return await _started(uow, user, rules, invite=invite, admin_ids=admin_ids, welcome_back=True)


async def _started(
    uow: UnitOfWork,
    user: User,
    rules: RegionRules,
    *,
    invite: str | None,
    admin_ids: tuple[int, ...],
    welcome_back: bool,
) -> Started:
    if user.telegram_id in admin_ids and user.role != Role.ADMIN:
        # Listed in the settings after they registered: stored as what they are.
        user.role = Role.ADMIN
        await uow.commit()
        log.info("admin from settings", extra={"user_id": user.id})
    redeemed = await redeem_invite(uow, user, invite) if invite is not None else None
    role = effective_role(user.role, user.telegram_id, admin_ids)
    step = await next_step(uow, user, rules, welcome_back=welcome_back)
    if isinstance(step, Ready):
        step = Ready(step.welcome_back, await inbox.waiting(uow, user, role, rules))
    return Started(step, role, redeemed)


async def redeem_invite(uow: UnitOfWork, user: User, code: str) -> Role | Invalid:
    """The role an unused, unexpired invite grants (an invite never lowers a role: an admin
    stays one); ``Invalid("invite-invalid")`` for any other code."""
    invite = await InviteRepo(uow.session).redeem(code, user.id, uow.now())
    if invite is None:
        return Invalid("invite-invalid")
    granted = Role(invite.role)
    if Role(user.role) != Role.ADMIN:
        user.role = granted
    await uow.commit()
    log.info("invite redeemed", extra={"user_id": user.id, "role": granted})
    return Role(user.role)


# --- the wizard's engine ------------------------------------------------------------------------


async def next_step(
    uow: UnitOfWork, user: User, rules: RegionRules, *, editing: bool = False, welcome_back: bool = False
) -> Next:
    """The first missing answer, or the end: the profile completed (the person goes to a methodist
    by the region's rules), a field edited (the caseload follows the workplace), or nothing to do."""
    missing = profile_rules.missing_steps(user)
    if missing:
        return await ask(uow, user, missing[0], resumed=welcome_back)
    if user.profile_completed_at is None:
        user.profile_completed_at = uow.now()
        await assign_by_rules(uow.session, user, now=uow.now())
        official = await attach_pending(uow.session, user)
        await uow.commit()
        return Completed(await card(uow, user, rules), official=len(official))
    if editing:
        await assign_by_rules(uow.session, user, now=uow.now())
        await attach_pending(uow.session, user)  # ЦНППМ results kept for the new name or workplace
        await uow.commit()
        return Edited(await card(uow, user, rules))
    return Ready(welcome_back)


async def ask(
    uow: UnitOfWork, user: User, step: Step, *, ticked: list[str] | None = None, resumed: bool = False
) -> Ask:
    """The question for ``step`` with what it offers. ``ticked``: the subjects ticked so far when
    the subjects question is asked again."""
    step = profile_rules.question_for(step, user)
    if step == Step.REGION:
        return Ask(step, regions=await DirectoryRepo(uow.session).regions(), resumed=resumed)
    if step in PICKERS:
        return Ask(step, picker=await _picker(uow, user, step, None, 0), resumed=resumed)
    if step == Step.SUBJECTS:
        return Ask(
            step, subjects=tuple(ticked if ticked is not None else user.subjects or []), resumed=resumed
        )
    return Ask(step, resumed=resumed)


async def edit(uow: UnitOfWork, user: User, field: str) -> Ask | Stale:
    """The first question of editing ``field`` from «Профиль»; ``Stale`` for what cannot be edited
    (a teacher's field of a staff member who does not teach, a staff field of a teacher)."""
    step = profile_rules.edits_of(user).get(field)
    if step is None:
        return STALE
    return await ask(uow, user, step)


async def _saved(uow: UnitOfWork, user: User, rules: RegionRules, editing: bool) -> Next:
    await uow.commit()
    return await next_step(uow, user, rules, editing=editing)


# --- typed answers ------------------------------------------------------------------------------


async def answer(
    uow: UnitOfWork, user: User, rules: RegionRules, step: Step, text: str | None, *, editing: bool
) -> Next | Invalid:
    """A typed answer to ``step`` (a name, a date, a year, the name of a place not in the
    directory), stored if valid; ``Invalid`` with the reason otherwise (nothing changes)."""
    today = uow.now().date()
    try:
        if step == Step.FULL_NAME:
            user.full_name = profile_rules.parse_full_name(text)
        elif step == Step.BIRTH_DATE:
            birth = profile_rules.parse_birth_date(text, today)
            if profile_rules.work_start_conflicts(birth, user.work_start_year):
                user.work_start_year = None  # asked again
            user.birth_date = birth
        elif step == Step.WORK_START:
            user.work_start_year = profile_rules.parse_work_start_year(text, user.birth_date, today)
        elif step == Step.MUNICIPALITY_CUSTOM:
            user.municipality_custom = profile_rules.parse_custom_name(text)
            user.municipality_id = None
            user.school_id = user.school_custom = None
        elif step == Step.ORGANISATION:
            user.organisation = profile_rules.parse_organisation(text)
        elif step == Step.SCHOOL_CUSTOM:
            user.school_custom = profile_rules.parse_custom_name(text)
            user.school_id = None
        else:
            raise ValueError(f"{step} is not answered by typing")
    except ProfileError as err:
        return Invalid(err.code, dict(err.args_))
    return await _saved(uow, user, rules, editing)


# --- answers by button --------------------------------------------------------------------------


async def choose_position(
    uow: UnitOfWork, user: User, rules: RegionRules, position: Position, *, editing: bool
) -> Next:
    user.position = Position(position)
    return await _saved(uow, user, rules, editing)


async def choose_qualification(
    uow: UnitOfWork, user: User, rules: RegionRules, qualification: Qualification, *, editing: bool
) -> Next:
    user.qualification = Qualification(qualification)
    return await _saved(uow, user, rules, editing)


async def choose_staff_title(
    uow: UnitOfWork, user: User, rules: RegionRules, title: StaffTitle, *, editing: bool
) -> Next | Stale:
    """A staff member's role title; ``Stale`` for a teacher (an old button of a removed role)."""
    if not profile_rules.staff_profile(user):
        return STALE
    user.staff_title = StaffTitle(title)
    return await _saved(uow, user, rules, editing)


async def choose_also_teacher(
    uow: UnitOfWork, user: User, rules: RegionRules, also: bool, *, editing: bool
) -> Next | Stale:
    """«Я тоже педагог» or not: with it, the teacher's questions follow (what the profile still
    lacks of them) and the person counts as a teacher; ``Stale`` for a teacher."""
    if not profile_rules.staff_profile(user):
        return STALE
    user.also_teacher = also
    return await _saved(uow, user, rules, editing)


async def choose_region(
    uow: UnitOfWork, user: User, rules: RegionRules, code: str, *, editing: bool
) -> Saved | Stale:
    """A region of the directory; a new region means a new place of work, so the municipality and
    the school are asked again. ``Stale`` for a region that is not loaded."""
    region = await DirectoryRepo(uow.session).region(code)
    if region is None:
        return STALE
    user.region_code = region.code
    user.municipality_id = user.school_id = None
    user.municipality_custom = user.school_custom = None
    return Saved(await _saved(uow, user, rules, editing), region=region)


def tick_subject(selected: Sequence[str], code: str) -> list[str] | Stale:
    """The subjects ticked after pressing ``code`` (ticked ↔ not); ``Stale`` for no subject."""
    ticked = profile_rules.toggle_subject(list(selected), code)
    return STALE if ticked is None else ticked


async def choose_subjects(
    uow: UnitOfWork, user: User, rules: RegionRules, selected: Sequence[str], *, editing: bool
) -> Next | Invalid:
    """«Готово» under the subjects: at least one, stored in the catalogue's order."""
    if not selected:
        return Invalid("err-subjects-empty")
    user.subjects = profile_rules.ordered_subjects(list(selected))
    return await _saved(uow, user, rules, editing)


# --- directory pickers: municipality and school -------------------------------------------------


async def search(uow: UnitOfWork, user: User, step: Step, text: str | None) -> Picker:
    """The picker of ``step`` narrowed to the entries with every typed word."""
    return await _picker(uow, user, step, (text or "").strip()[:SEARCH_MAX], 0)


async def page(uow: UnitOfWork, user: User, step: Step, query: str | None, number: int) -> Picker:
    return await _picker(uow, user, step, query, number)


async def pick(
    uow: UnitOfWork, user: User, rules: RegionRules, step: Step, item_id: int, *, editing: bool
) -> Saved | Stale:
    """An entry of the person's own region (municipality) or municipality (school); ``Stale`` for
    any other id (an old or forged button)."""
    chosen = dict(await _places(uow, user, step)).get(item_id)
    if chosen is None:
        return STALE
    if step == Step.MUNICIPALITY:
        user.municipality_id, user.municipality_custom = item_id, None
        user.school_id = user.school_custom = None
    else:
        user.school_id, user.school_custom = item_id, None
    return Saved(await _saved(uow, user, rules, editing), place=chosen)


def not_in_list(step: Step) -> Ask:
    """«Нет в списке»: the name is typed instead."""
    return Ask(TYPED_INSTEAD[step])


async def _places(uow: UnitOfWork, user: User, step: Step) -> list[tuple[int, str]]:
    directory = DirectoryRepo(uow.session)
    if step == Step.MUNICIPALITY:
        if user.region_code is None:
            return []
        return [(m.id, m.name) for m in await directory.municipalities(user.region_code)]
    if user.municipality_id is None:
        return []
    return [(s.id, s.name) for s in await directory.schools(user.municipality_id)]


async def _picker(uow: UnitOfWork, user: User, step: Step, query: str | None, number: int) -> Picker:
    items = await _places(uow, user, step)
    found = profile_rules.narrow(items, query)
    if query and not found:
        return Picker(step, items, query, matched=False, page=number)
    return Picker(step, found, query, page=number)
