"""«Профиль»: the card of a person's profile, and the interface language.

Editing a field goes through the wizard's steps (``services.onboarding.edit``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.profile import edits_of, experience_years, staff_profile, teaches
from services.regions import Bodies, RegionRules, region_rules
from services.uow import UnitOfWork
from storage.mentorship import MentorRepo
from storage.models import ProfessionalRecord, User
from storage.records import RecordRepo
from storage.repositories import UserRepo


@dataclass(frozen=True, slots=True)
class ProfileCard:
    """What the profile card shows besides the person's own answers."""

    user: User  # with region, municipality and school loaded
    today: date
    young: bool  # a young teacher by the rules of the person's region
    # In the mentor registry (True) or not (False); None while too new to mentor (no button).
    mentor: bool | None
    staff: bool = False  # a methodist's or admin's: the staff card
    teaches: bool = True  # a teacher, or staff who chose «Я тоже педагог»: the teacher's part too
    fields: tuple[str, ...] = ()  # what «Профиль» can edit (``domain.profile.edits_of``)
    # The methodical service (ММС) the person's municipality names in the region file, if any.
    methodical_service: str | None = None
    # Their contests, presented опыт and roles (002's indicators 3–6), newest first.
    records: Sequence[ProfessionalRecord] = ()
    # The names of their region's bodies («Специалист ЦНППМ КОИРО»).
    bodies: Bodies = field(default_factory=Bodies)


async def card(uow: UnitOfWork, user: User, rules: RegionRules) -> ProfileCard:
    """The card of ``user``, by the rules of their region (``rules`` if they are that region's,
    read anew after the region changed in this update)."""
    await UserRepo(uow.session).load_places(user)
    if rules.code != user.region_code:
        rules = await region_rules(uow, user.region_code, rules.timezone)
    today = uow.now().date()
    young = rules.young_teacher.applies(user.birth_date, user.work_start_year, today)
    profile = await MentorRepo(uow.session).profile(user.id)
    mentor: bool | None = bool(profile and profile.active)
    years = experience_years(user.work_start_year, today) if user.work_start_year else 0
    if not mentor and years < rules.thresholds.mentor_min_experience_years:
        mentor = None
    teaching = teaches(user)
    if not teaching:  # no young-teacher flag, no «Готов быть наставником» (opting out stays)
        young, mentor = False, (True if mentor else None)
    return ProfileCard(
        user,
        today,
        young,
        mentor,
        staff=staff_profile(user),
        teaches=teaching,
        fields=tuple(edits_of(user)),
        methodical_service=user.municipality.methodical_service if user.municipality else None,
        records=await RecordRepo(uow.session).of_user(user.id),
        bodies=rules.bodies,
    )


async def switch_language(
    uow: UnitOfWork, user: User, rules: RegionRules, locales: Sequence[str]
) -> ProfileCard:
    """The other interface language (of ``locales``), stored; the card to show in it."""
    user.locale = next(locale for locale in locales if locale != user.locale)
    await uow.commit()
    return await card(uow, user, rules)
