"""Flow 4: «Стажировки» — the region's стажировочные площадки, matched to the teacher, and applying."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from domain.framework import AREA_CODES
from domain.internships import Match, Site, match_sites
from handlers.callbacks import SiteCb
from handlers.filters import MenuButton
from handlers.keyboards import Keyboard
from handlers.render import edit_text
from locales import Html, Translator
from storage.learning import ApplicationRepo, CatalogueRepo, DiagnosisRepo
from storage.models import InternshipSite, User

router = Router(name="internships")
Clock = Callable[[], datetime]
PAGE = 5


@router.message(MenuButton("menu-internships"))
async def internships_home(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator, clock: Clock
) -> None:
    await state.clear()
    text, markup = await _list_view(session, user, t, clock, page=0, area="", municipality=0)
    await message.answer(text, reply_markup=markup)


@router.callback_query(SiteCb.filter(F.action == "list"))
async def list_page(
    query: CallbackQuery,
    callback_data: SiteCb,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    if callback_data.a and callback_data.a not in AREA_CODES:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await query.answer()
    assert isinstance(query.message, Message)
    text, markup = await _list_view(
        session, user, t, clock, page=callback_data.x, area=callback_data.a, municipality=callback_data.m
    )
    await edit_text(query.message, text, reply_markup=markup)


async def _matches(
    session: AsyncSession, user: User, clock: Clock, area: str, municipality: int
) -> tuple[list[Match], dict[int, InternshipSite]]:
    sites = await CatalogueRepo(session).sites(user.region_code)
    diagnosis = await DiagnosisRepo(session).latest_done(user.id)
    matches = match_sites(
        [
            Site(s.id, frozenset(s.areas), frozenset(s.subjects), s.municipality_id, s.ends_on, s.format)
            for s in sites
        ],
        deficits=diagnosis.deficits if diagnosis else [],
        subjects=frozenset(user.subjects),
        municipality_id=user.municipality_id,
        today=clock().date(),
        area=area or None,
        municipality_filter=municipality or None,
    )
    return matches, {s.id: s for s in sites}


async def _list_view(
    session: AsyncSession, user: User, t: Translator, clock: Clock, *, page: int, area: str, municipality: int
) -> tuple[str, InlineKeyboardMarkup]:
    matches, sites = await _matches(session, user, clock, area, municipality)
    pages = max(1, -(-len(matches) // PAGE))
    page = min(max(page, 0), pages - 1)
    kb = Keyboard()
    lines = []
    for number, match in enumerate(matches[page * PAGE : (page + 1) * PAGE], start=page * PAGE + 1):
        site = sites[match.site_id]
        lines.append(
            t(
                "site-line",
                number=number,
                organisation=site.organisation,
                municipality=site.municipality.name if site.municipality else "—",
                topic=site.topic,
                reasons=_reasons(match, t),
            )
        )
        kb.button(text=str(number), callback_data=SiteCb(action="card", x=site.id, a=area, m=municipality))
    kb.adjust(PAGE)
    nav = Keyboard()
    if page > 0:
        nav.button(
            text=t("btn-prev"), callback_data=SiteCb(action="list", x=page - 1, a=area, m=municipality)
        )
    if page < pages - 1:
        nav.button(
            text=t("btn-next"), callback_data=SiteCb(action="list", x=page + 1, a=area, m=municipality)
        )
    kb.attach(nav)
    tools = Keyboard()
    tools.button(text=t("site-btn-area"), callback_data=SiteCb(action="areas", m=municipality))
    tools.button(text=t("site-btn-municipality"), callback_data=SiteCb(action="places", a=area))
    if area or municipality:
        tools.button(text=t("site-btn-reset"), callback_data=SiteCb(action="list"))
    tools.button(text=t("site-btn-mine"), callback_data=SiteCb(action="mine"))
    tools.adjust(2)
    kb.attach(tools)
    filters = []
    if area:
        filters.append(t(f"area-{area}"))
    if municipality:
        place = next((s.municipality for s in sites.values() if s.municipality_id == municipality), None)
        filters.append(place.name if place else "—")
    if not matches:
        return t("site-none", filters=", ".join(filters) or "—"), kb.as_markup()
    text = t(
        "site-list",
        count=len(matches),
        lines=Html("\n\n".join(lines)),
        filters=", ".join(filters) or t("site-no-filter"),
        page=page + 1,
        pages=pages,
    )
    return text, kb.as_markup()


def _reasons(match: Match, t: Translator) -> str:
    parts = []
    for key, codes in match.reasons:
        if key == "match-deficit":
            parts.append(t(key, areas=", ".join(t(f"area-{c}") for c in codes)))
        elif key == "match-subject":
            parts.append(t(key, subjects=", ".join(t(f"subject-{c}") for c in codes)))
        else:
            parts.append(t(key))
    return "; ".join(parts) or t("match-none")


@router.callback_query(SiteCb.filter(F.action == "areas"))
async def choose_area(query: CallbackQuery, callback_data: SiteCb, t: Translator) -> None:
    kb = Keyboard()
    for area in AREA_CODES:
        kb.button(text=t(f"area-{area}"), callback_data=SiteCb(action="list", a=area, m=callback_data.m))
    kb.adjust(1)
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(query.message, t("site-choose-area"), reply_markup=kb.as_markup())


@router.callback_query(SiteCb.filter(F.action == "places"))
async def choose_municipality(
    query: CallbackQuery, callback_data: SiteCb, session: AsyncSession, user: User, t: Translator
) -> None:
    sites = await CatalogueRepo(session).sites(user.region_code)
    places = sorted({(s.municipality.name, s.municipality.id) for s in sites if s.municipality is not None})
    kb = Keyboard()
    for name, municipality_id in places[:50]:
        kb.button(text=name, callback_data=SiteCb(action="list", a=callback_data.a, m=municipality_id))
    kb.adjust(1)
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(query.message, t("site-choose-municipality"), reply_markup=kb.as_markup())


@router.callback_query(SiteCb.filter(F.action == "card"))
async def site_card(
    query: CallbackQuery, callback_data: SiteCb, session: AsyncSession, user: User, t: Translator
) -> None:
    site = await CatalogueRepo(session).site(callback_data.x)
    if site is None or site.region_code != user.region_code:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await query.answer()
    assert isinstance(query.message, Message)
    text, markup = await _card_view(session, site, user, t, callback_data)
    await edit_text(query.message, text, reply_markup=markup)


async def _card_view(
    session: AsyncSession, site: InternshipSite, user: User, t: Translator, back: SiteCb
) -> tuple[str, InlineKeyboardMarkup]:
    taken = (await CatalogueRepo(session).taken_seats([site.id])).get(site.id, 0)
    mine = await ApplicationRepo(session).find(site.id, user.id)
    applied = mine is not None and mine.status == "applied"
    kb = Keyboard()
    if applied:
        kb.button(
            text=t("site-btn-cancel"), callback_data=SiteCb(action="cancel", x=site.id, a=back.a, m=back.m)
        )
    elif taken < site.seats:
        kb.button(
            text=t("site-btn-apply"), callback_data=SiteCb(action="apply", x=site.id, a=back.a, m=back.m)
        )
    kb.button(text=t("site-btn-back"), callback_data=SiteCb(action="list", a=back.a, m=back.m))
    kb.adjust(1)
    text = t(
        "site-card",
        organisation=site.organisation,
        municipality=site.municipality.name if site.municipality else "—",
        topic=site.topic,
        areas=", ".join(t(f"area-{a}") for a in site.areas) or "—",
        subjects=", ".join(t(f"subject-{s}") for s in site.subjects) or "—",
        start=site.starts_on,
        end=site.ends_on,
        format=t(f"format-{site.format}"),
        free=max(0, site.seats - taken),
        seats=site.seats,
        contact=site.contact,
    )
    if applied:
        text += "\n\n" + t("site-applied-mark")
    elif taken >= site.seats:
        text += "\n\n" + t("site-full")
    return text, kb.as_markup()


@router.callback_query(SiteCb.filter(F.action == "apply"))
async def apply(
    query: CallbackQuery,
    callback_data: SiteCb,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    site = await CatalogueRepo(session).site(callback_data.x)
    if site is None or site.region_code != user.region_code or site.ends_on < clock().date():
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    outcome = await ApplicationRepo(session).apply(site, user.id, clock())
    await session.commit()
    await query.answer(t(f"site-apply-{outcome}"), show_alert=outcome != "applied")
    assert isinstance(query.message, Message)
    site = await CatalogueRepo(session).site(callback_data.x)
    assert site is not None
    text, markup = await _card_view(session, site, user, t, callback_data)
    await edit_text(query.message, text, reply_markup=markup)


@router.callback_query(SiteCb.filter(F.action == "cancel"))
async def cancel(
    query: CallbackQuery, callback_data: SiteCb, session: AsyncSession, user: User, t: Translator
) -> None:
    application = await ApplicationRepo(session).find(callback_data.x, user.id)
    if application is None or application.status != "applied":
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    application.status = "cancelled"
    await session.commit()
    await query.answer(t("site-cancelled"))
    site = await CatalogueRepo(session).site(callback_data.x)
    assert site is not None and isinstance(query.message, Message)
    text, markup = await _card_view(session, site, user, t, callback_data)
    await edit_text(query.message, text, reply_markup=markup)


@router.callback_query(SiteCb.filter(F.action == "mine"))
async def my_applications(query: CallbackQuery, session: AsyncSession, user: User, t: Translator) -> None:
    applications = [a for a in await ApplicationRepo(session).of_user(user.id) if a.status == "applied"]
    catalogue = CatalogueRepo(session)
    kb = Keyboard()
    lines = []
    for application in applications[:30]:
        site = await catalogue.site(application.site_id)
        if site is None:
            continue
        lines.append(
            t("site-mine-line", organisation=site.organisation, start=site.starts_on, end=site.ends_on)
        )
        kb.button(text=site.organisation[:60], callback_data=SiteCb(action="card", x=site.id))
    kb.button(text=t("site-btn-back"), callback_data=SiteCb(action="list"))
    kb.adjust(1)
    await query.answer()
    assert isinstance(query.message, Message)
    text = t("site-mine", lines=Html("\n".join(lines))) if lines else t("site-mine-none")
    await edit_text(query.message, text, reply_markup=kb.as_markup())
