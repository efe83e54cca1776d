"""Flow 3: «Мой ИОМ» on Telegram — draft from the diagnosis, view, edit, submit, mark done, export
DOCX. What happens is decided by ``services.route``; this module parses and renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from domain.paging import page_of
from domain.region import Labels
from domain.route import (
    Evidence,
    EvidenceKind,
    ItemKind,
    ItemStatus,
    can_submit,
    evidence_of,
    is_editable,
)
from handlers import keyboards
from handlers.basis import basis_line, basis_value
from handlers.callbacks import DiagAction, DiagCb, RouteAction, RouteCb
from handlers.documents import RouteDocument, route_docx
from handlers.filters import MenuButton
from handlers.keyboards import Keyboard
from handlers.questions import Asking, Expects, asks_again
from handlers.render import edit_text, question_gone, stale
from handlers.render_worker import render_in_worker
from locales import Html, Translator
from services import route as service
from services.regions import RegionRules
from services.results import Invalid, Stale
from services.uow import UnitOfWork
from storage.models import Route, RouteItem, User

router = Router(name="route")
# Typed answers of the route's own questions; tried after every menu button and command.
edit_router = Router(name="route-edit")
PAGE = 5


class RouteEdit(StatesGroup):
    due_date = State()
    evidence = State()


@dataclass(frozen=True, slots=True)
class EditData:
    """The conversation's data while a date or evidence is typed: the item, and the route's page
    to show afterwards."""

    item_id: int
    page: int = 0

    @classmethod
    async def read(cls, state: FSMContext) -> EditData:
        data = await state.get_data()
        return cls(_int(data.get("item")), _int(data.get("page")))

    async def write(self, state: FSMContext) -> None:
        await state.set_data({"item": self.item_id, "page": self.page})


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _namer(t: Translator) -> service.ItemNamer:
    """Titles of the items without a catalogue entry, in the teacher's language."""

    def name(kind: ItemKind, area: str, labels: Labels) -> str:
        return t(
            f"route-kind-{kind}",
            area=t(f"area-{area}"),
            school=labels.school_association,
            municipal=labels.municipal_association,
        )

    return name


# --- viewing ------------------------------------------------------------------------------------


@router.message(MenuButton("menu-route"))
async def route_home(message: Message, state: FSMContext, uow: UnitOfWork, user: User, t: Translator) -> None:
    await state.clear()
    home = await service.home(uow, user.id)
    if isinstance(home, service.Shown):
        text, markup = _route_view(home.route, 0, t)
        if home.newer_basis is not None:  # a ЦНППМ result came after the draft
            text += "\n\n" + t("route-newer-basis", basis=basis_value(home.newer_basis, t))
            redraft = Keyboard()
            redraft.button(
                text=t("route-btn-redraft"),
                callback_data=RouteCb(action=RouteAction.REDRAFT, route_id=home.route.id),
            )
            markup = InlineKeyboardMarkup(
                inline_keyboard=[*redraft.as_markup().inline_keyboard, *markup.inline_keyboard]
            )
        await message.answer(text, reply_markup=markup)
        return
    kb = Keyboard()
    if home.diagnosis is None:
        kb.button(text=t("diag-btn-start"), callback_data=DiagCb(action=DiagAction.START))
        await message.answer(t("route-need-diagnosis"), reply_markup=kb.as_markup())
        return
    kb.button(text=t("route-btn-draft"), callback_data=RouteCb(action=RouteAction.DRAFT))
    key = "route-offer-new" if home.completed else "route-offer"
    await message.answer(t(key, basis=basis_value(home.diagnosis, t)), reply_markup=kb.as_markup())


@router.callback_query(RouteCb.filter(F.action == RouteAction.VIEW))
async def view_page(
    query: CallbackQuery, message: Message, callback_data: RouteCb, uow: UnitOfWork, user: User, t: Translator
) -> None:
    shown = await service.view(uow, user.id, callback_data.route_id)
    if isinstance(shown, Stale):
        await stale(query, t)
        return
    await query.answer()
    text, markup = _route_view(shown.route, callback_data.page, t)
    await edit_text(message, text, reply_markup=markup)


def _route_view(route: Route, page: int, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    items = route.items
    shown, page, pages = page_of(items, page, PAGE)
    lines = []
    kb = Keyboard()
    for number, item in enumerate(shown, start=page * PAGE + 1):
        lines.append(
            t(
                "route-line",
                number=number,
                mark="✅" if item.status == ItemStatus.DONE else "⬜",
                area=t(f"area-{item.area}"),
                title=item.title,
                due=item.due_on,
                hours=item.hours,
            )
        )
        kb.button(
            text=str(number),
            callback_data=RouteCb(action=RouteAction.ITEM, route_id=route.id, item_id=item.id, page=page),
        )
    kb.adjust(PAGE)
    nav = Keyboard()
    if page > 0:
        nav.button(
            text=t("btn-prev"),
            callback_data=RouteCb(action=RouteAction.VIEW, route_id=route.id, page=page - 1),
        )
    if page < pages - 1:
        nav.button(
            text=t("btn-next"),
            callback_data=RouteCb(action=RouteAction.VIEW, route_id=route.id, page=page + 1),
        )
    kb.attach(nav)
    actions = Keyboard()
    if is_editable(route.status):
        actions.button(
            text=t("route-btn-add"), callback_data=RouteCb(action=RouteAction.ADD, route_id=route.id)
        )
    if can_submit(route.status):
        actions.button(
            text=t("route-btn-submit"), callback_data=RouteCb(action=RouteAction.SUBMIT, route_id=route.id)
        )
    actions.button(
        text=t("route-btn-docx"), callback_data=RouteCb(action=RouteAction.DOCX, route_id=route.id)
    )
    actions.adjust(1)
    kb.attach(actions)
    done = sum(1 for i in items if i.status == ItemStatus.DONE)
    text = t(
        "route-view",
        status=t(f"route-status-{route.status}"),
        start=route.starts_on,
        end=route.ends_on,
        hours=sum(i.hours for i in items),
        done=done,
        total=len(items),
        lines=Html("\n".join(lines) if lines else t("route-empty")),
        page=page + 1,
        pages=pages,
    )
    text += "\n" + basis_line(route.diagnosis, t)
    if route.comment:
        text += "\n\n" + t("route-comment", comment=route.comment)
    return text, kb.as_markup()


# --- drafting -----------------------------------------------------------------------------------


@router.callback_query(RouteCb.filter(F.action == RouteAction.DRAFT))
async def draft(
    query: CallbackQuery, message: Message, uow: UnitOfWork, rules: RegionRules, user: User, t: Translator
) -> None:
    outcome = await service.draft(uow, user, rules, _namer(t))
    if isinstance(outcome, service.NeedDiagnosis):
        await query.answer(t("route-need-diagnosis"), show_alert=True)
        return
    await query.answer()
    text, markup = _route_view(outcome.route, 0, t)
    if isinstance(outcome, service.Exists):
        intro = t("route-exists")
    elif outcome.from_deficits:
        intro = t("route-drafted", count=len(outcome.route.items))
    else:
        intro = t("route-drafted-no-deficits")
    await message.answer(intro + "\n\n" + text, reply_markup=markup)


@router.callback_query(RouteCb.filter(F.action == RouteAction.REDRAFT))
async def redraft(
    query: CallbackQuery,
    message: Message,
    callback_data: RouteCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
) -> None:
    outcome = await service.redraft(uow, user, rules, _namer(t), callback_data.route_id)
    if isinstance(outcome, Stale):
        await stale(query, t)
        return
    await query.answer()
    text, markup = _route_view(outcome.route, 0, t)
    await edit_text(message, t("route-redrafted") + "\n\n" + text, reply_markup=markup)


# --- one item -----------------------------------------------------------------------------------


@router.callback_query(RouteCb.filter(F.action == RouteAction.ITEM))
async def item_card(
    query: CallbackQuery, message: Message, callback_data: RouteCb, uow: UnitOfWork, user: User, t: Translator
) -> None:
    shown = await service.item(uow, user.id, callback_data.item_id)
    if isinstance(shown, Stale):
        await stale(query, t)
        return
    await query.answer()
    text, markup = _item_view(shown.item, callback_data.page, t)
    await edit_text(message, text, reply_markup=markup)


def _item_view(item: RouteItem, page: int, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    reason = item.reason or {}
    args = {k: t(f"area-{v}") if k == "area" else v for k, v in (reason.get("args") or {}).items()}
    text = t(
        "route-item",
        title=item.title,
        area=t(f"area-{item.area}"),
        kind=t(f"route-kindname-{item.kind}"),
        form=t(f"route-form-{item.form}"),
        hours=item.hours,
        due=item.due_on,
        status=t(f"route-item-{item.status}"),
        reason=t(reason["key"], **args) if reason.get("key") else t("reason-added"),
    )
    if item.status == ItemStatus.DONE:
        text += "\n" + t(
            f"route-evidence-{item.evidence_kind or EvidenceKind.TEXT}",
            evidence=item.evidence_name or item.evidence or "",
        )
    kb = Keyboard()
    route = item.route

    def button(action: RouteAction) -> RouteCb:
        return RouteCb(action=action, route_id=route.id, item_id=item.id, page=page)

    if is_editable(route.status):
        if item.status != ItemStatus.DONE:
            kb.button(text=t("route-btn-done"), callback_data=button(RouteAction.DONE))
        kb.button(text=t("route-btn-date"), callback_data=button(RouteAction.DATE))
        kb.button(text=t("route-btn-remove"), callback_data=button(RouteAction.REMOVE))
    kb.button(
        text=t("route-btn-back"), callback_data=RouteCb(action=RouteAction.VIEW, route_id=route.id, page=page)
    )
    kb.adjust(1)
    return text, kb.as_markup()


@router.callback_query(RouteCb.filter(F.action == RouteAction.REMOVE))
async def ask_remove(
    query: CallbackQuery, message: Message, callback_data: RouteCb, uow: UnitOfWork, user: User, t: Translator
) -> None:
    """«Удалить из маршрута»: which item, and «Да, удалить» / «Отмена» (back to its card)."""
    found = await service.to_remove(uow, user.id, callback_data.item_id)
    if isinstance(found, Stale):
        await stale(query, t)
        return
    item = found.item
    await query.answer()
    await edit_text(
        message,
        t("route-remove-confirm", title=item.title),
        reply_markup=keyboards.confirm(
            t,
            t("route-btn-remove-yes"),
            RouteCb(
                action=RouteAction.REMOVE_YES,
                route_id=item.route_id,
                item_id=item.id,
                page=callback_data.page,
            ),
            RouteCb(
                action=RouteAction.ITEM, route_id=item.route_id, item_id=item.id, page=callback_data.page
            ),
        ),
    )


@router.callback_query(RouteCb.filter(F.action == RouteAction.REMOVE_YES))
async def remove_item(
    query: CallbackQuery, message: Message, callback_data: RouteCb, uow: UnitOfWork, user: User, t: Translator
) -> None:
    shown = await service.remove_item(uow, user.id, callback_data.item_id)
    if isinstance(shown, Stale):  # removed already (a second «Да»), or not theirs
        await stale(query, t)
        return
    await query.answer(t("route-removed"))
    text, markup = _route_view(shown.route, callback_data.page, t)
    await edit_text(message, text, reply_markup=markup)


@router.callback_query(RouteCb.filter(F.action == RouteAction.DATE))
async def ask_date(
    query: CallbackQuery,
    message: Message,
    callback_data: RouteCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    shown = await service.ask_date(uow, user.id, callback_data.item_id)
    if isinstance(shown, Stale):
        await stale(query, t)
        return
    await state.set_state(RouteEdit.due_date)
    await EditData(shown.item.id, callback_data.page).write(state)
    await query.answer()
    route = shown.item.route
    await message.answer(t("route-ask-date", start=route.starts_on, end=route.ends_on))


@edit_router.message(RouteEdit.due_date, F.text)
async def got_date(
    message: Message, state: FSMContext, uow: UnitOfWork, rules: RegionRules, user: User, t: Translator
) -> None:
    data = await EditData.read(state)
    outcome = await service.change_date(uow, user.id, rules, data.item_id, message.text)
    if isinstance(outcome, Stale):
        await question_gone(message, state, t)
        return
    if isinstance(outcome, Invalid):
        await message.answer(t(outcome.key) + "\n\n" + t("route-ask-date", **outcome.args))
        return
    if isinstance(outcome, service.DateOutside):
        await message.answer(t("route-date-outside", start=outcome.starts_on, end=outcome.ends_on))
        return
    await state.clear()
    await message.answer(t("route-date-changed", date=outcome.item.due_on))
    text, markup = _item_view(outcome.item, data.page, t)
    await message.answer(text, reply_markup=markup)


@router.callback_query(RouteCb.filter(F.action == RouteAction.DONE))
async def ask_evidence(
    query: CallbackQuery,
    message: Message,
    callback_data: RouteCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    shown = await service.ask_evidence(uow, user.id, callback_data.item_id)
    if isinstance(shown, Stale):
        await stale(query, t)
        return
    await state.set_state(RouteEdit.evidence)
    await EditData(shown.item.id, callback_data.page).write(state)
    await query.answer()
    await message.answer(t("route-ask-evidence", title=shown.item.title))


@edit_router.message(RouteEdit.evidence)
async def got_evidence(
    message: Message, state: FSMContext, uow: UnitOfWork, user: User, t: Translator
) -> None:
    data = await EditData.read(state)
    outcome = await service.mark_done(uow, user.id, data.item_id, _evidence_of(message))
    if isinstance(outcome, Stale):
        await question_gone(message, state, t)
        return
    if isinstance(outcome, Invalid):
        await message.answer(t(outcome.key, **outcome.args))
        return
    await state.clear()
    await message.answer(t("route-item-marked", title=outcome.item.title))
    if outcome.completed:
        kb = Keyboard()
        kb.button(text=t("diag-btn-again"), callback_data=DiagCb(action=DiagAction.START))
        await message.answer(t("route-completed"), reply_markup=kb.as_markup())
        return
    text, markup = _route_view(outcome.route, data.page, t)
    await message.answer(text, reply_markup=markup)


def _evidence_of(message: Message) -> Evidence | None:
    """The document, photo, link or reflection a message carries."""
    return evidence_of(
        document=(message.document.file_id, message.document.file_name) if message.document else None,
        photo=message.photo[-1].file_id if message.photo else None,
        text=message.text,
    )


# --- adding from the catalogue ------------------------------------------------------------------


@router.callback_query(RouteCb.filter(F.action == RouteAction.ADD))
async def add_choose_area(
    query: CallbackQuery, message: Message, callback_data: RouteCb, uow: UnitOfWork, user: User, t: Translator
) -> None:
    choice = await service.add_areas(uow, user, callback_data.route_id)
    if isinstance(choice, Stale):
        await stale(query, t)
        return
    await query.answer()
    route_id = choice.route.id
    kb = Keyboard()
    for area in choice.areas:
        kb.button(
            text=t(f"area-{area}"),
            callback_data=RouteCb(action=RouteAction.ADD_AREA, route_id=route_id, area=area),
        )
    kb.button(text=t("route-btn-back"), callback_data=RouteCb(action=RouteAction.VIEW, route_id=route_id))
    kb.adjust(1)
    await edit_text(message, t("route-add-area"), reply_markup=kb.as_markup())


@router.callback_query(RouteCb.filter(F.action == RouteAction.ADD_AREA))
async def add_choose_item(
    query: CallbackQuery,
    message: Message,
    callback_data: RouteCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
) -> None:
    options = await service.add_options(uow, user, rules, callback_data.route_id, callback_data.area)
    if isinstance(options, Stale):
        await stale(query, t)
        return
    route_id, area = options.route.id, options.area
    kb = Keyboard()
    for entry in options.entries:
        kb.button(
            text=_short(entry.title),
            callback_data=RouteCb(
                action=RouteAction.ADD_ITEM,
                route_id=route_id,
                area=area,
                kind=entry.kind,
                entry_id=entry.entry_id,
            ),
        )
    for kind in options.generic:
        kb.button(
            text=t(f"route-kindname-{kind}"),
            callback_data=RouteCb(action=RouteAction.ADD_ITEM, route_id=route_id, area=area, kind=kind),
        )
    kb.button(text=t("route-btn-back"), callback_data=RouteCb(action=RouteAction.VIEW, route_id=route_id))
    kb.adjust(1)
    await query.answer()
    await edit_text(message, t("route-add-item", area=t(f"area-{area}")), reply_markup=kb.as_markup())


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@router.callback_query(RouteCb.filter(F.action == RouteAction.ADD_ITEM))
async def add_item(
    query: CallbackQuery,
    message: Message,
    callback_data: RouteCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
) -> None:
    shown = await service.add_item(
        uow,
        user,
        rules,
        _namer(t),
        route_id=callback_data.route_id,
        kind=callback_data.kind or "",
        area=callback_data.area,
        entry_id=callback_data.entry_id,
    )
    if isinstance(shown, Stale):
        await stale(query, t)
        return
    await query.answer(t("route-added"))
    text, markup = _route_view(shown.route, 0, t)
    await edit_text(message, text, reply_markup=markup)


# --- submit and export --------------------------------------------------------------------------


@router.callback_query(RouteCb.filter(F.action == RouteAction.SUBMIT))
async def submit(
    query: CallbackQuery, message: Message, callback_data: RouteCb, uow: UnitOfWork, user: User, t: Translator
) -> None:
    outcome = await service.submit(uow, user.id, callback_data.route_id)
    if isinstance(outcome, Stale):
        await stale(query, t)
        return
    if isinstance(outcome, Invalid):
        await query.answer(t(outcome.key, **outcome.args), show_alert=True)
        return
    await query.answer()
    text, markup = _route_view(outcome.route, 0, t)
    await edit_text(message, text, reply_markup=markup)
    await message.answer(t(f"route-submitted-{outcome.holder}"))


@router.callback_query(RouteCb.filter(F.action == RouteAction.DOCX))
async def export_docx(
    query: CallbackQuery, message: Message, callback_data: RouteCb, uow: UnitOfWork, user: User, t: Translator
) -> None:
    export = await service.export(uow, user, callback_data.route_id)
    if isinstance(export, Stale):
        await stale(query, t)
        return
    await query.answer()
    data = await render_in_worker(route_docx, _document(export, t))
    await message.answer_document(
        BufferedInputFile(data, filename=f"iom-{export.route.id}.docx"), caption=t("docx-caption")
    )


def _document(export: service.Export, t: Translator) -> RouteDocument:
    route, user, diagnosis = export.route, export.user, export.diagnosis
    return RouteDocument(
        title=t("docx-title"),
        header=[
            (t("docx-fio"), user.full_name or ""),
            (t("docx-position"), t(f"position-{user.position}") if user.position else ""),
            (t("docx-school"), user.school.name if user.school else (user.school_custom or "")),
            (
                t("docx-municipality"),
                user.municipality.name if user.municipality else (user.municipality_custom or ""),
            ),
            (t("docx-period"), f"{route.starts_on:%d.%m.%Y} – {route.ends_on:%d.%m.%Y}"),
            (t("docx-status"), t(f"route-status-{route.status}")),
            (t("docx-basis"), basis_value(diagnosis, t)),
            (
                t("docx-deficits"),
                ", ".join(t(f"area-{a}") for a in diagnosis.deficits)
                if diagnosis and diagnosis.deficits
                else "—",
            ),
        ],
        columns=[t(f"docx-col-{c}") for c in ("deficit", "tasks", "forms", "due", "result", "done")],
        rows=[
            [
                t(f"area-{item.area}"),
                item.title,
                t(
                    "docx-forms",
                    kind=t(f"route-kindname-{item.kind}"),
                    form=t(f"route-form-{item.form}"),
                    hours=item.hours,
                ),
                f"{item.due_on:%d.%m.%Y}",
                t(f"docx-result-{item.kind}"),
                f"{item.done_at:%d.%m.%Y}" if item.done_at else "",
            ]
            for item in route.items
        ],
        footer=[t("docx-total", hours=sum(i.hours for i in route.items))],
    )


@asks_again(*RouteEdit.__states__, expects=Expects.TEXT)
async def ask_again(asking: Asking) -> bool:
    """The item's date or evidence asked again, while the item can still take it."""
    data, t = await EditData.read(asking.state), asking.t
    if asking.raw_state == RouteEdit.due_date.state:
        shown = await service.ask_date(asking.uow, asking.user.id, data.item_id)
        if isinstance(shown, Stale):
            return False
        route = shown.item.route
        await asking.message.answer(t("route-ask-date", start=route.starts_on, end=route.ends_on))
        return True
    shown = await service.ask_evidence(asking.uow, asking.user.id, data.item_id)
    if isinstance(shown, Stale):
        return False
    await asking.message.answer(t("route-ask-evidence", title=shown.item.title))
    return True
