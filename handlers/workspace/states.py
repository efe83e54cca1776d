"""The workspace's conversations and what each keeps between messages, typed.

The stored keys (``route``, ``teacher``, ``date``, ``methodist``) are those of the conversations
before they were typed, so one begun before an update goes on after it (an official result begun
before it took ЦНППМ's result and deficit per area starts again: its state is gone)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup

from domain.record_entry import Step
from services.records import Draft
from services.workspace import BulkTarget, OfficialArea


class ReturnComment(StatesGroup):
    comment = State()


class OfficialEntry(StatesGroup):
    date = State()
    instrument = State()
    result = State()  # the area's result, typed (or «Не оценивалось»)
    deficit = State()  # a deficit in the area, yes or no (buttons)


class AssignSearch(StatesGroup):
    name = State()


class RecordEntry(StatesGroup):
    """A teacher's record being entered: a button step (kind, level, result/role), the title, the date."""

    choice = State()
    title = State()
    date = State()


def _id(value: Any) -> int:
    return value if isinstance(value, int) else 0


@dataclass(frozen=True, slots=True)
class ReturnData:
    """The route whose return comment is asked for."""

    route_id: int

    @classmethod
    async def load(cls, state: FSMContext) -> ReturnData:
        return cls(_id(await state.get_value("route")))

    async def start(self, state: FSMContext) -> None:
        await state.set_state(ReturnComment.comment)
        await state.set_data({"route": self.route_id})


@dataclass(frozen=True, slots=True)
class OfficialData:
    """An official result being entered: the teacher (and their name, to ask the date again), the
    date and instrument once given, the areas answered so far (area code → [result, deficit], or
    None for «Не оценивалось») and the result typed for the area whose deficit is asked."""

    teacher_id: int
    name: str | None = None
    taken: date | None = None
    instrument: str | None = None
    given: dict[str, OfficialArea | None] = field(default_factory=dict)
    result: int | None = None

    @classmethod
    async def load(cls, state: FSMContext) -> OfficialData:
        data = await state.get_data()
        taken, instrument, result = data.get("date"), data.get("instrument"), data.get("result")
        given: dict[str, OfficialArea | None] = {}
        raw = data.get("given")
        for code, value in (raw if isinstance(raw, dict) else {}).items():
            if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int):
                given[str(code)] = OfficialArea(value[0], bool(value[1]))
            else:
                given[str(code)] = None
        return cls(
            teacher_id=_id(data.get("teacher")),
            name=data.get("name"),
            taken=date.fromisoformat(taken) if isinstance(taken, str) else None,
            instrument=instrument if isinstance(instrument, str) else None,
            given=given,
            result=result if isinstance(result, int) else None,
        )

    async def ask_date(self, state: FSMContext) -> None:
        await state.set_state(OfficialEntry.date)
        await state.set_data({"teacher": self.teacher_id, "name": self.name})

    async def ask_instrument(self, state: FSMContext, taken: date) -> None:
        await state.set_state(OfficialEntry.instrument)
        await state.update_data(date=taken.isoformat())

    async def ask_result(
        self, state: FSMContext, instrument: str, given: Mapping[str, OfficialArea | None]
    ) -> None:
        await state.set_state(OfficialEntry.result)
        stored = {code: None if a is None else [a.result, a.deficit] for code, a in given.items()}
        await state.update_data(instrument=instrument, given=stored, result=None)

    async def ask_deficit(self, state: FSMContext, result: int) -> None:
        await state.set_state(OfficialEntry.deficit)
        await state.update_data(result=result)


@dataclass(frozen=True, slots=True)
class AssignData:
    """The methodist an admin is looking for teachers for."""

    methodist_id: int

    @classmethod
    async def load(cls, state: FSMContext) -> AssignData:
        return cls(_id(await state.get_value("methodist")))

    async def start(self, state: FSMContext) -> None:
        await state.set_state(AssignSearch.name)
        await state.set_data({"methodist": self.methodist_id})


@dataclass(frozen=True, slots=True)
class RecordData:
    """A record being entered: the teacher (or, with ``teacher_id`` 0, the school), the name to
    ask again with, and the answers so far."""

    teacher_id: int
    name: str | None
    draft: Draft
    school_id: int = 0

    @classmethod
    async def load(cls, state: FSMContext) -> RecordData:
        data = await state.get_data()
        return cls(
            _id(data.get("teacher")),
            data.get("name"),
            Draft.from_data(data.get("record") or {}),
            _id(data.get("school")),
        )

    async def save(self, state: FSMContext) -> None:
        """Remember the answers and wait on the question the draft asks next."""
        step = self.draft.step
        wait = {Step.TITLE: RecordEntry.title, Step.DATE: RecordEntry.date}.get(step, RecordEntry.choice)
        await state.set_state(wait)
        await state.set_data(
            {
                "teacher": self.teacher_id,
                "school": self.school_id,
                "name": self.name,
                "record": self.draft.to_data(),
            }
        )


async def remember_preview(state: FSMContext, target: BulkTarget) -> None:
    """The bulk assignment last previewed: the only one its «Закрепить» button may confirm."""
    await state.update_data(bulk=[target.methodist_id, target.municipality_id, target.school_id])


async def previewed(state: FSMContext) -> BulkTarget | None:
    value = await state.get_value("bulk")
    if not isinstance(value, list) or len(value) != 3 or not all(isinstance(v, int) for v in value):
        return None
    return BulkTarget(*value)
