"""Flow 5: «Наставничество» on Telegram — candidates with reasons, requests, pairs, meetings, the
registry. What may happen is decided by ``services.mentorship`` (someone else's request or pair is
``Stale``); the messages to the other side are queued there (hand-offs) and sent by the outbox."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.mentorship import Form, PairStatus, Typed
from handlers.callbacks import MentorAction, MentorCb
from handlers.filters import MenuButton
from handlers.keyboards import Keyboard
from handlers.questions import Asking, Expects, asks_again
from handlers.render import edit_text, question_gone, stale, typed_text
from locales import Html, Translator
from services import mentorship as service
from services.regions import RegionRules
from services.results import STALE, Invalid, Stale
from services.uow import UnitOfWork
from storage.models import User

log = logging.getLogger(__name__)
router = Router(name="mentorship")
# Typed answers (contact, decline message, meeting, outcome); tried after menu buttons and commands.
answers_router = Router(name="mentorship-answers")


class MentorInput(StatesGroup):
    contact = State()
    decline_message = State()
    meeting_date = State()
    meeting_topic = State()
    meeting_note = State()
    outcome = State()


@dataclass(frozen=True, slots=True)
class Draft:
    """What the typed answers are about: the request being declined, or the pair and the meeting
    typed so far. Stored in the conversation under the keys ``request``, ``pair``, ``day``, ``topic``."""

    request_id: int = 0
    pair_id: int = 0
    day: date | None = None
    topic: str | None = None

    @classmethod
    async def read(cls, state: FSMContext) -> Draft:
        data = await state.get_data()
        day = data.get("day")
        return cls(
            int(data.get("request", 0)),
            int(data.get("pair", 0)),
            date.fromisoformat(day) if day else None,
            data.get("topic"),
        )


async def _ask(state: FSMContext, question: State, *, request_id: int = 0, pair_id: int = 0) -> None:
    await state.set_state(question)
    await state.set_data({"request": request_id} if request_id else {"pair": pair_id})


# --- rendering ------------------------------------------------------------------------------------


def describe(offered: service.Offered, t: Translator) -> str:
    """A candidate's card: name, school, subjects and the reasons they are offered."""
    mentor = offered.mentor
    parts = []
    for key, codes in offered.ranked.reasons:
        if key == "mentor-reason-strength":
            parts.append(t(key, areas=", ".join(t(f"area-{c}") for c in codes)))
        elif key == "mentor-reason-load":
            parts.append(t(key, load=int(codes[0]), capacity=int(codes[1])))
        else:
            parts.append(t(key, subjects=", ".join(t(f"subject-{c}") for c in codes)))
    return t(
        "mentor-candidate",
        name=mentor.full_name or "—",
        school=mentor.school.name if mentor.school else (mentor.school_custom or "—"),
        subjects=", ".join(t(f"subject-{c}") for c in mentor.subjects) or "—",
        reasons="; ".join(parts),
    )


Choose = Callable[[service.Offered], tuple[str, CallbackData]]  # a candidate's button


def _offer(
    parts: list[str], kb: Keyboard, offered: Sequence[service.Offered], t: Translator, button: Choose
) -> None:
    for number, candidate in enumerate(offered, 1):
        parts.append(f"{number}. " + describe(candidate, t))
        text, data = button(candidate)
        kb.button(text=text, callback_data=data)


def candidates_view(
    header: str, offered: Sequence[service.Offered], t: Translator, button: Choose, back: CallbackData
) -> tuple[str, InlineKeyboardMarkup]:
    """Candidate mentors, numbered, with a button each (or «нет свободных»), and «Назад»."""
    kb = Keyboard()
    lines = [header]
    _offer(lines, kb, offered, t, button)
    if not offered:
        lines.append(t("mentor-none-available"))
    kb.button(text=t("btn-back"), callback_data=back)
    kb.adjust(1)
    return "\n\n".join(lines), kb.as_markup()


def _ask_button(t: Translator, form: Form, area: str | None) -> Choose:
    """«Попросить» a candidate to mentor in ``form`` (and ``area``)."""
    return lambda candidate: (
        t("mentor-btn-ask", name=_short(candidate.mentor.full_name)),
        MentorCb(action=MentorAction.ASK, mentor_id=candidate.mentor.id, form=form, area=area or ""),
    )


def home_view(home: service.Home, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    thresholds = home.thresholds
    parts = [
        t(
            "mentor-intro",
            age=thresholds.young_teacher_max_age,
            years=thresholds.young_teacher_max_experience_years,
        )
    ]
    kb = Keyboard()
    for line in home.pairs:
        role = "mentor-you-mentee" if line.as_mentee else "mentor-you-mentor"
        text = t(
            role,
            name=line.other.full_name if line.other else "—",
            form=t(f"mentor-form-{line.pair.form}"),
        )
        parts.append(text)
        kb.button(
            text=_short(text, 60), callback_data=MentorCb(action=MentorAction.PAIR, pair_id=line.pair.id)
        )
    if home.pending is not None:
        mentor, request = home.pending.mentor, home.pending.request
        parts.append(
            t("mentor-pending", name=mentor.full_name if mentor else "—", until=request.expires_at.date())
        )
        parts.append(t(f"mentor-delivery-{home.pending.delivery}"))
        kb.button(
            text=t("mentor-btn-cancel-request"),
            callback_data=MentorCb(action=MentorAction.CANCEL, request_id=request.id),
        )
    elif home.young_offer is not None:
        if home.young_offer:
            parts.append(t("mentor-young-offer"))
            _offer(parts, kb, home.young_offer, t, _ask_button(t, Form.YOUNG, None))
        else:
            parts.append(t("mentor-none-available"))
    if home.peer:
        kb.button(text=t("mentor-btn-peer"), callback_data=MentorCb(action=MentorAction.PEER))
    if home.management:
        kb.button(
            text=t("mentor-btn-management"),
            callback_data=MentorCb(action=MentorAction.LIST, form=Form.MANAGEMENT),
        )
    if home.mentor is True:
        kb.button(text=t("mentor-btn-optout"), callback_data=MentorCb(action=MentorAction.OPT_OUT))
    elif home.mentor is False:
        kb.button(text=t("mentor-btn-optin"), callback_data=MentorCb(action=MentorAction.OPT_IN))
    kb.adjust(1)
    return "\n\n".join(parts), kb.as_markup()


def _short(name: str | None, limit: int = 40) -> str:
    name = name or "—"
    return name if len(name) <= limit else name[: limit - 1] + "…"


# --- home -----------------------------------------------------------------------------------------


@router.message(MenuButton("menu-mentorship"))
async def home(
    message: Message, state: FSMContext, uow: UnitOfWork, rules: RegionRules, user: User, t: Translator
) -> None:
    await state.clear()
    text, markup = home_view(await service.home(uow, user, rules), t)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MentorCb.filter(F.action == MentorAction.HOME))
async def home_again(
    query: CallbackQuery, message: Message, uow: UnitOfWork, rules: RegionRules, user: User, t: Translator
) -> None:
    await query.answer()
    text, markup = home_view(await service.home(uow, user, rules), t)
    await edit_text(message, text, reply_markup=markup)


# --- choosing a mentor ------------------------------------------------------------------------------


@router.callback_query(MentorCb.filter(F.action == MentorAction.PEER))
async def choose_peer_area(
    query: CallbackQuery, message: Message, uow: UnitOfWork, user: User, t: Translator
) -> None:
    peer = await service.peer_areas(uow, user)
    if isinstance(peer, Stale):
        await stale(query, t)
        return
    kb = Keyboard()
    for area in peer.areas:
        kb.button(
            text=t(f"area-{area}"),
            callback_data=MentorCb(action=MentorAction.LIST, form=Form.PEER, area=area),
        )
    kb.button(text=t("btn-back"), callback_data=MentorCb(action=MentorAction.HOME))
    kb.adjust(1)
    await query.answer()
    await edit_text(message, t("mentor-peer-choose"), reply_markup=kb.as_markup())


@router.callback_query(MentorCb.filter(F.action == MentorAction.LIST))
async def list_candidates(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
) -> None:
    found = await service.candidates(uow, user, rules, callback_data.form, callback_data.area or None)
    if isinstance(found, Stale):
        await stale(query, t)
        return
    text, markup = candidates_view(
        t(f"mentor-list-{found.form}", area=t(f"area-{found.area}") if found.area else ""),
        found.offered,
        t,
        _ask_button(t, found.form, found.area),
        MentorCb(action=MentorAction.HOME),
    )
    await query.answer()
    await edit_text(message, text, reply_markup=markup)


@router.callback_query(MentorCb.filter(F.action == MentorAction.ASK))
async def ask_mentor(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
) -> None:
    requested = await service.ask(
        uow,
        user,
        rules,
        mentor_id=callback_data.mentor_id,
        form=callback_data.form,
        area=callback_data.area or None,
    )
    if isinstance(requested, Stale):
        await stale(query, t)
        return
    if isinstance(requested, service.Unavailable):
        await query.answer(t("mentor-unavailable"), show_alert=True)
        return
    await query.answer()
    await edit_text(
        message,
        t("mentor-requested", name=requested.mentor.full_name, days=requested.days),
        reply_markup=None,
    )


@router.callback_query(MentorCb.filter(F.action == MentorAction.CANCEL))
async def cancel_request(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
) -> None:
    home = await service.cancel_request(uow, user, rules, callback_data.request_id)
    if isinstance(home, Stale):
        await stale(query, t)
        return
    await query.answer(t("mentor-request-cancelled"))
    text, markup = home_view(home, t)
    await edit_text(message, text, reply_markup=markup)


# --- the mentor answers ---------------------------------------------------------------------------


@router.callback_query(MentorCb.filter(F.action == MentorAction.ACCEPT))
async def accept(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
) -> None:
    accepted = await service.accept(uow, user, rules, callback_data.request_id)
    if isinstance(accepted, Stale):
        await stale(query, t)
        return
    if isinstance(accepted, service.CapacityFull):
        await query.answer(t("mentor-capacity-full", capacity=accepted.capacity), show_alert=True)
        return
    await query.answer()
    await edit_text(message, t("mentor-accepted-you", name=accepted.mentee.full_name), reply_markup=None)


@router.callback_query(MentorCb.filter(F.action == MentorAction.DECLINE))
async def decline_ask_message(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    request = await service.request_to_answer(uow, user, callback_data.request_id)
    if isinstance(request, Stale):
        await stale(query, t)
        return
    await _ask(state, MentorInput.decline_message, request_id=request.id)
    kb = Keyboard()
    kb.button(
        text=t("mentor-btn-no-comment"),
        callback_data=MentorCb(action=MentorAction.DECLINE_NOW, request_id=request.id),
    )
    await query.answer()
    await message.answer(t("mentor-decline-ask"), reply_markup=kb.as_markup())


@router.callback_query(MentorCb.filter(F.action == MentorAction.DECLINE_NOW))
async def decline_without_message(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    await query.answer()
    await _decline(message, callback_data.request_id, None, state, uow, user, t)


@answers_router.message(MentorInput.decline_message, F.text)
async def decline_with_message(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    text = await typed_text(
        message, t, service.typed(Typed.DECLINE_MESSAGE, message.text), question=t("mentor-decline-ask")
    )
    if text is None:
        return
    draft = await Draft.read(state)
    await _decline(message, draft.request_id, text, state, uow, user, t)


async def _decline(
    message: Message,
    request_id: int,
    text: str | None,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    await state.clear()
    declined = await service.decline(uow, user, request_id, text)
    if isinstance(declined, Stale):
        await stale(message, t)
        return
    await message.answer(t("mentor-declined-you"))


# --- the pair ---------------------------------------------------------------------------------------


@router.callback_query(MentorCb.filter(F.action == MentorAction.PAIR))
async def pair_card(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorCb,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    card = await service.pair_card(uow, user, callback_data.pair_id)
    if isinstance(card, Stale):
        await stale(query, t)
        return
    await query.answer()
    text, markup = _pair_view(card, t)
    await edit_text(message, text, reply_markup=markup)


def _telegram_link(user: User) -> str:
    """A person's name that opens a chat with them (on Telegram; a MAX account has no such link)."""
    name = html.escape(user.full_name or "Telegram")
    if user.messenger != "telegram":
        return name
    return f'<a href="tg://user?id={user.telegram_id}">{name}</a>'


def _pair_view(card: service.PairCard, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    pair, meetings = card.pair, card.meetings
    history = [
        t("mentor-meeting-line", date=m.met_on, topic=m.topic, note=m.note or "") for m in meetings[:10]
    ]
    mentor = _telegram_link(card.mentor) if card.mentor else "—"
    if card.mentor_contact:
        mentor += " · " + html.escape(card.mentor_contact)
    text = t(
        "mentor-pair-card",
        mentor=Html(mentor),
        mentee=Html(_telegram_link(card.mentee) if card.mentee else "—"),
        form=t(f"mentor-form-{pair.form}"),
        status=t(f"mentor-pair-{pair.status}"),
        since=pair.started_at.date(),
        goals=", ".join(t(f"area-{g}") for g in pair.goals) or t("mentor-goals-open"),
        count=len(meetings),
        history=Html("\n".join(history) if history else t("mentor-no-meetings")),
    )
    if pair.outcome:
        text += "\n" + t("mentor-outcome", outcome=pair.outcome)
    kb = Keyboard()
    if pair.status == PairStatus.ACTIVE:
        kb.button(text=t("mentor-btn-log"), callback_data=MentorCb(action=MentorAction.LOG, pair_id=pair.id))
        kb.button(
            text=t("mentor-btn-close"), callback_data=MentorCb(action=MentorAction.CLOSE, pair_id=pair.id)
        )
    kb.button(text=t("btn-back"), callback_data=MentorCb(action=MentorAction.HOME))
    kb.adjust(1)
    return text, kb.as_markup()


@router.callback_query(MentorCb.filter(F.action == MentorAction.LOG))
async def pair_input(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    pair = await service.active_pair(uow, user, callback_data.pair_id)
    if isinstance(pair, Stale):
        await stale(query, t)
        return
    await _ask(state, MentorInput.meeting_date, pair_id=pair.id)
    await query.answer()
    await message.answer(t("mentor-ask-date"))


@router.callback_query(MentorCb.filter(F.action == MentorAction.CLOSE))
async def ask_close(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    """«Завершить пару»: the card asks to confirm in place — the outcome typed closes the pair,
    «Отмена» shows the card again."""
    card = await service.to_close(uow, user, callback_data.pair_id)
    if isinstance(card, Stale):
        await stale(query, t)
        return
    other = card.mentee if card.pair.mentor_id == user.id else card.mentor
    await _ask(state, MentorInput.outcome, pair_id=card.pair.id)
    await query.answer()
    kb = Keyboard()
    kb.button(
        text=t("btn-cancel"), callback_data=MentorCb(action=MentorAction.CLOSE_CANCEL, pair_id=card.pair.id)
    )
    await edit_text(
        message,
        t("mentor-close-confirm", name=other.full_name if other else "—") + "\n\n" + t("mentor-ask-outcome"),
        reply_markup=kb.as_markup(),
    )


@router.callback_query(MentorCb.filter(F.action == MentorAction.CLOSE_CANCEL))
async def close_cancelled(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    card = await service.pair_card(uow, user, callback_data.pair_id)
    if isinstance(card, Stale):
        await stale(query, t)
        return
    asked = await state.get_state() == MentorInput.outcome.state  # and no other question since
    if asked and (await Draft.read(state)).pair_id == card.pair.id:
        await state.clear()
    await query.answer()
    text, markup = _pair_view(card, t)
    await edit_text(message, text, reply_markup=markup)


@answers_router.message(MentorInput.meeting_date, F.text)
async def meeting_date(
    message: Message, state: FSMContext, uow: UnitOfWork, user: User, t: Translator
) -> None:
    draft = await Draft.read(state)
    day = await service.meeting_date(uow, user, draft.pair_id, message.text)
    if isinstance(day, Stale):
        await question_gone(message, state, t)
        return
    if isinstance(day, Invalid):
        reply = t(day.key, **day.args)
        if day.key != "mentor-date-before-pair":  # that one asks for another date itself
            reply += "\n\n" + t("mentor-ask-date")
        await message.answer(reply)
        return
    await state.update_data(day=day.isoformat())
    await state.set_state(MentorInput.meeting_topic)
    await message.answer(t("mentor-ask-topic"))


@answers_router.message(MentorInput.meeting_topic, F.text)
async def meeting_topic(message: Message, state: FSMContext, t: Translator) -> None:
    topic = await typed_text(
        message, t, service.typed(Typed.TOPIC, message.text), question=t("mentor-ask-topic")
    )
    if topic is None:
        return
    await state.update_data(topic=topic)
    await state.set_state(MentorInput.meeting_note)
    kb = Keyboard()
    kb.button(text=t("mentor-btn-skip"), callback_data=MentorCb(action=MentorAction.NOTE_SKIP))
    await message.answer(t("mentor-ask-note"), reply_markup=kb.as_markup())


@answers_router.message(MentorInput.meeting_note, F.text)
async def meeting_note(
    message: Message, state: FSMContext, uow: UnitOfWork, user: User, t: Translator
) -> None:
    note = await typed_text(
        message, t, service.typed(Typed.NOTE, message.text), question=t("mentor-ask-note")
    )
    if note is None:
        return
    await _save_meeting(message, note, state, uow, user, t)


@router.callback_query(MentorInput.meeting_note, MentorCb.filter(F.action == MentorAction.NOTE_SKIP))
async def meeting_note_skipped(
    query: CallbackQuery, message: Message, state: FSMContext, uow: UnitOfWork, user: User, t: Translator
) -> None:
    await query.answer()
    await _save_meeting(message, None, state, uow, user, t)


async def _save_meeting(
    message: Message, note: str | None, state: FSMContext, uow: UnitOfWork, user: User, t: Translator
) -> None:
    draft = await Draft.read(state)
    await state.clear()
    card: service.PairCard | Stale = STALE
    if draft.day is not None and draft.topic is not None:
        card = await service.log_meeting(
            uow, user, draft.pair_id, day=draft.day, topic=draft.topic, note=note
        )
    if isinstance(card, Stale):
        await stale(message, t)
        return
    await message.answer(t("mentor-meeting-saved"))
    text, markup = _pair_view(card, t)
    await message.answer(text, reply_markup=markup)


@answers_router.message(MentorInput.outcome, F.text)
async def close_pair(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    draft = await Draft.read(state)
    if isinstance(await service.active_pair(uow, user, draft.pair_id), Stale):
        await question_gone(message, state, t)
        return
    outcome = await typed_text(
        message, t, service.typed(Typed.OUTCOME, message.text), question=t("mentor-ask-outcome")
    )
    if outcome is None:
        return
    await state.clear()
    closed = await service.close_pair(uow, user, draft.pair_id, outcome)
    if isinstance(closed, Stale):
        await stale(message, t)
        return
    card = await service.pair_card(uow, user, draft.pair_id)  # the card it was closed from, closed
    if isinstance(card, service.PairCard):
        text, markup = _pair_view(card, t)
        await message.answer(t("mentor-closed") + "\n\n" + text, reply_markup=markup)
    else:
        await message.answer(t("mentor-closed"))


# --- the registry -------------------------------------------------------------------------------------


@router.callback_query(MentorCb.filter(F.action == MentorAction.OPT_IN))
async def opt_in(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
    messenger: str,
) -> None:
    too_early = await service.check_opt_in(uow, user, rules)
    if too_early is not None:
        await query.answer(t(too_early.key, **too_early.args), show_alert=True)
        return
    await state.set_state(MentorInput.contact)
    name = t(f"messenger-{messenger}")  # besides the messenger she is on: Telegram or MAX
    kb = Keyboard()
    kb.button(
        text=t("mentor-btn-messenger-only", messenger=name),
        callback_data=MentorCb(action=MentorAction.CONTACT_SKIP),
    )
    await query.answer()
    await message.answer(t("mentor-ask-contact", messenger=name), reply_markup=kb.as_markup())


@router.callback_query(MentorInput.contact, MentorCb.filter(F.action == MentorAction.CONTACT_SKIP))
async def opt_in_telegram_only(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
) -> None:
    await query.answer()
    await _enrol(message, None, state, uow, rules, user, t)


@answers_router.message(MentorInput.contact, F.text)
async def opt_in_contact(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
    messenger: str,
) -> None:
    question = t("mentor-ask-contact", messenger=t(f"messenger-{messenger}"))
    contact = await typed_text(message, t, service.typed(Typed.CONTACT, message.text), question=question)
    if contact is None:
        return
    await _enrol(message, contact, state, uow, rules, user, t)


async def _enrol(
    message: Message,
    contact: str | None,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
) -> None:
    await state.clear()
    enrolled = await service.enrol(uow, user, rules, contact)
    await message.answer(t("mentor-enrolled", capacity=enrolled.capacity))


@router.callback_query(MentorCb.filter(F.action == MentorAction.OPT_OUT))
async def opt_out(
    query: CallbackQuery, message: Message, uow: UnitOfWork, rules: RegionRules, user: User, t: Translator
) -> None:
    home = await service.opt_out(uow, user, rules)
    if isinstance(home, Stale):
        await stale(query, t)
        return
    await query.answer(t("mentor-left-registry"), show_alert=True)
    text, markup = home_view(home, t)
    await edit_text(message, text, reply_markup=markup)


MENTOR_QUESTIONS = {
    MentorInput.contact.state: "mentor-ask-contact",
    MentorInput.decline_message.state: "mentor-decline-ask",
    MentorInput.meeting_date.state: "mentor-ask-date",
    MentorInput.meeting_topic.state: "mentor-ask-topic",
    MentorInput.meeting_note.state: "mentor-ask-note",
    MentorInput.outcome.state: "mentor-ask-outcome",
}


@asks_again(*MentorInput.__states__, expects=Expects.TEXT)
async def ask_again(asking: Asking) -> bool:
    """The same typed question, with the button it offers."""
    t, draft = asking.t, await Draft.read(asking.state)
    messenger = t(f"messenger-{asking.data.get('messenger', 'telegram')}")
    kb = Keyboard()
    if asking.raw_state == MentorInput.contact.state:
        kb.button(
            text=t("mentor-btn-messenger-only", messenger=messenger),
            callback_data=MentorCb(action=MentorAction.CONTACT_SKIP),
        )
    elif asking.raw_state == MentorInput.decline_message.state:
        kb.button(
            text=t("mentor-btn-no-comment"),
            callback_data=MentorCb(action=MentorAction.DECLINE_NOW, request_id=draft.request_id),
        )
    elif asking.raw_state == MentorInput.meeting_note.state:
        kb.button(text=t("mentor-btn-skip"), callback_data=MentorCb(action=MentorAction.NOTE_SKIP))
    markup = kb.as_markup() if kb.buttons else None
    question = t(MENTOR_QUESTIONS[asking.raw_state], messenger=messenger)
    await asking.message.answer(question, reply_markup=markup)
    return True
