"""Flow 4: «Стажировки» on Telegram — the matched list with its filters, a site's card, applying
and withdrawing. What happens is decided by ``services.internships``; this module renders."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.framework import AREA_CODES
from domain.internships import ApplyOutcome, Match
from handlers.callbacks import SiteAction, SiteCb
from handlers.filters import MenuButton
from handlers.keyboards import Keyboard
from handlers.render import edit_text, stale
from locales import Html, Translator
from services import internships as service
from services.results import Stale
from services.uow import UnitOfWork
from storage.models import User

router = Router(name="internships")
PLACES_MAX = 50  # municipalities offered as a filter
MINE_MAX = 30  # applications listed in «Мои заявки»


@router.message(MenuButton("menu-internships"))
async def internships_home(
    message: Message, state: FSMContext, uow: UnitOfWork, user: User, t: Translator
) -> None:
    await state.clear()
    listing = await service.listing(uow, user)
    assert not isinstance(listing, Stale)  # no filter, nothing to refuse
    text, markup = _list_view(listing, t)
    await message.answer(text, reply_markup=markup)


@router.callback_query(SiteCb.filter(F.action == SiteAction.LIST))
async def list_page(
    query: CallbackQuery, message: Message, callback_data: SiteCb, uow: UnitOfWork, user: User, t: Translator
) -> None:
    listing = await service.listing(
        uow,
        user,
        page=callback_data.page,
        area=callback_data.area,
        municipality_id=callback_data.municipality_id,
    )
    if isinstance(listing, Stale):
        await stale(query, t)
        return
    await query.answer()
    text, markup = _list_view(listing, t)
    await edit_text(message, text, reply_markup=markup)


def _list_view(listing: service.Listing, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    area, municipality_id, page = listing.area, listing.municipality_id, listing.page
    kb = Keyboard()
    lines = []
    for number, (match, site) in enumerate(listing.matches, start=listing.first):
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
        kb.button(
            text=str(number),
            callback_data=SiteCb(
                action=SiteAction.CARD, site_id=site.id, area=area, municipality_id=municipality_id
            ),
        )
    kb.adjust(service.PAGE)
    nav = Keyboard()
    if page > 0:
        nav.button(
            text=t("btn-prev"),
            callback_data=SiteCb(
                action=SiteAction.LIST, page=page - 1, area=area, municipality_id=municipality_id
            ),
        )
    if page < listing.pages - 1:
        nav.button(
            text=t("btn-next"),
            callback_data=SiteCb(
                action=SiteAction.LIST, page=page + 1, area=area, municipality_id=municipality_id
            ),
        )
    kb.attach(nav)
    tools = Keyboard()
    tools.button(
        text=t("site-btn-area"),
        callback_data=SiteCb(action=SiteAction.AREAS, municipality_id=municipality_id),
    )
    tools.button(text=t("site-btn-municipality"), callback_data=SiteCb(action=SiteAction.PLACES, area=area))
    if area or municipality_id:
        tools.button(text=t("site-btn-reset"), callback_data=SiteCb(action=SiteAction.LIST))
    tools.button(text=t("site-btn-mine"), callback_data=SiteCb(action=SiteAction.MINE))
    tools.adjust(2)
    kb.attach(tools)
    filters = []
    if area:
        filters.append(t(f"area-{area}"))
    if municipality_id:
        filters.append(listing.municipality.name if listing.municipality else "—")
    if not listing.total:
        return t("site-none", filters=", ".join(filters) or "—"), kb.as_markup()
    text = t(
        "site-list",
        count=listing.total,
        lines=Html("\n\n".join(lines)),
        filters=", ".join(filters) or t("site-no-filter"),
        page=page + 1,
        pages=listing.pages,
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


@router.callback_query(SiteCb.filter(F.action == SiteAction.AREAS))
async def choose_area(query: CallbackQuery, message: Message, callback_data: SiteCb, t: Translator) -> None:
    kb = Keyboard()
    for area in AREA_CODES:
        kb.button(
            text=t(f"area-{area}"),
            callback_data=SiteCb(
                action=SiteAction.LIST, area=area, municipality_id=callback_data.municipality_id
            ),
        )
    kb.adjust(1)
    await query.answer()
    await edit_text(message, t("site-choose-area"), reply_markup=kb.as_markup())


@router.callback_query(SiteCb.filter(F.action == SiteAction.PLACES))
async def choose_municipality(
    query: CallbackQuery, message: Message, callback_data: SiteCb, uow: UnitOfWork, user: User, t: Translator
) -> None:
    places = await service.municipalities(uow, user)
    kb = Keyboard()
    for place in places[:PLACES_MAX]:
        kb.button(
            text=place.name,
            callback_data=SiteCb(action=SiteAction.LIST, area=callback_data.area, municipality_id=place.id),
        )
    kb.adjust(1)
    await query.answer()
    await edit_text(message, t("site-choose-municipality"), reply_markup=kb.as_markup())


@router.callback_query(SiteCb.filter(F.action == SiteAction.CARD))
async def site_card(
    query: CallbackQuery, message: Message, callback_data: SiteCb, uow: UnitOfWork, user: User, t: Translator
) -> None:
    card = await service.card(uow, user, callback_data.site_id)
    if isinstance(card, Stale):
        await stale(query, t)
        return
    await query.answer()
    text, markup = _card_view(card, t, callback_data)
    await edit_text(message, text, reply_markup=markup)


def _card_view(card: service.Card, t: Translator, back: SiteCb) -> tuple[str, InlineKeyboardMarkup]:
    site = card.site

    def button(action: SiteAction, site_id: int = 0) -> SiteCb:
        return SiteCb(action=action, site_id=site_id, area=back.area, municipality_id=back.municipality_id)

    kb = Keyboard()
    if card.applied:
        kb.button(text=t("site-btn-cancel"), callback_data=button(SiteAction.CANCEL, site.id))
    elif card.can_apply:
        kb.button(text=t("site-btn-apply"), callback_data=button(SiteAction.APPLY, site.id))
    kb.button(text=t("site-btn-back"), callback_data=button(SiteAction.LIST))
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
        free=card.free,
        seats=site.seats,
        contact=site.contact,
    )
    if card.status is not None:
        text += "\n\n" + t(f"site-status-{card.status}")
    if not card.applied and not card.free:
        text += "\n\n" + t("site-full")
    return text, kb.as_markup()


@router.callback_query(SiteCb.filter(F.action == SiteAction.APPLY))
async def apply(
    query: CallbackQuery, message: Message, callback_data: SiteCb, uow: UnitOfWork, user: User, t: Translator
) -> None:
    applied = await service.apply(uow, user, callback_data.site_id)
    if isinstance(applied, Stale):
        await stale(query, t)
        return
    if applied.outcome == ApplyOutcome.APPLIED:
        await query.answer()
        await message.answer(t(f"site-apply-{applied.holder}"))  # who has it, as a message to keep
    else:
        await query.answer(t(f"site-apply-{applied.outcome}"), show_alert=True)
    text, markup = _card_view(applied.card, t, callback_data)
    await edit_text(message, text, reply_markup=markup)


@router.callback_query(SiteCb.filter(F.action == SiteAction.CANCEL))
async def cancel(
    query: CallbackQuery, message: Message, callback_data: SiteCb, uow: UnitOfWork, user: User, t: Translator
) -> None:
    card = await service.cancel(uow, user, callback_data.site_id)
    if isinstance(card, Stale):
        await stale(query, t)
        return
    await query.answer(t("site-cancelled"))
    text, markup = _card_view(card, t, callback_data)
    await edit_text(message, text, reply_markup=markup)


@router.callback_query(SiteCb.filter(F.action == SiteAction.MINE))
async def my_applications(
    query: CallbackQuery, message: Message, uow: UnitOfWork, user: User, t: Translator
) -> None:
    sites = await service.mine(uow, user.id)
    kb = Keyboard()
    lines = []
    for site, status in sites[:MINE_MAX]:
        lines.append(
            t(
                "site-mine-line",
                organisation=site.organisation,
                start=site.starts_on,
                end=site.ends_on,
                status=t(f"application-status-{status}"),
            )
        )
        kb.button(text=site.organisation[:60], callback_data=SiteCb(action=SiteAction.CARD, site_id=site.id))
    kb.button(text=t("site-btn-back"), callback_data=SiteCb(action=SiteAction.LIST))
    kb.adjust(1)
    await query.answer()
    text = t("site-mine", lines=Html("\n".join(lines))) if lines else t("site-mine-none")
    await edit_text(message, text, reply_markup=kb.as_markup())
