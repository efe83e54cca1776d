"""Every row about a person, for /mydata (152-ФЗ's right of access), found through the columns
that point at them.

Each column of the schema that points at ``users.id`` is listed here, in one of three ways
(``tests/services/test_privacy.py`` walks the schema, so a new table cannot be forgotten):

- ``OWN``: the row is the person's (theirs, addressed to them, made by them, or a hand-off they are
  party to): exported whole, under its table's name;
- ``ACTED_ON``: the row is another person's, and the column records what this person did to it
  (approved, confirmed, recorded, assigned, marked): exported as a reference — the table, the row
  and the column — not the other person's data;
- ``NOT_PERSONAL``: nothing about the person, with the reason.

``CHILDREN`` are rows of the person's own rows that do not point at the person themselves (the
answers of their diagnoses, the items of their routes, the meetings of their pairs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry, Base

OWN: Mapping[str, tuple[str, ...]] = {
    "invites": ("created_by", "used_by"),
    "diagnoses": ("user_id",),
    "routes": ("user_id",),
    "internship_applications": ("user_id",),
    "event_responses": ("user_id",),
    "professional_records": ("user_id",),
    "mentor_profiles": ("user_id",),
    "mentor_requests": ("mentee_id", "mentor_id"),
    "mentor_pairs": ("mentee_id", "mentor_id"),
    "mentor_meetings": ("logged_by",),
    "caseloads": ("teacher_id", "methodist_id"),
    "methodist_settings": ("user_id",),
    "outbox": ("user_id",),
    "broadcast_deliveries": ("user_id",),
    "broadcasts": ("created_by",),
    "events": ("created_by",),
    "audit_log": ("actor_id",),
    "linked_accounts": ("user_id",),
    "link_codes": ("user_id",),
}

# child table → (its column pointing at the parent, the parent table, exported in ``OWN``)
CHILDREN: Mapping[str, tuple[str, str]] = {
    "diagnosis_answers": ("diagnosis_id", "diagnoses"),
    "route_items": ("route_id", "routes"),
    "mentor_meetings": ("pair_id", "mentor_pairs"),
}

ACTED_ON: Mapping[str, tuple[str, ...]] = {
    "diagnoses": ("recorded_by",),  # an official ЦНППМ result a methodist entered for a teacher
    "routes": ("approved_by",),  # a teacher's ИОМ the methodist approved
    "route_items": ("transfer_confirmed_by",),  # a transfer into practice the methodist confirmed
    "mentor_pairs": ("assigned_by",),  # a pair a methodist made
    "caseloads": ("assigned_by",),  # a teacher an admin put in a methodist's caseload
    "event_responses": ("marked_by",),  # someone's attendance marked
    "internship_applications": ("decided_by",),  # an application the methodist answered
    "professional_records": ("entered_by",),  # a contest, опыт or role a methodist recorded
}

# (table, column) → why the rows it points from are not about the person.
NOT_PERSONAL: Mapping[tuple[str, str], str] = {}

# The order of the sections in the export and in the summary.
SECTIONS: tuple[str, ...] = (
    "diagnoses",
    "diagnosis_answers",
    "routes",
    "route_items",
    "internship_applications",
    "event_responses",
    "professional_records",
    "mentor_profiles",
    "mentor_requests",
    "mentor_pairs",
    "mentor_meetings",
    "caseloads",
    "methodist_settings",
    "invites",
    "outbox",
    "broadcast_deliveries",
    "broadcasts",
    "events",
    "audit_log",
    "linked_accounts",
    "link_codes",
)


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _rows(result: Any) -> list[dict[str, Any]]:
    return [{key: _plain(value) for key, value in row.items()} for row in result.mappings()]


def _key(table: Table) -> tuple[str, ...]:
    return tuple(column.name for column in table.primary_key.columns)


async def rows_about(session: AsyncSession, user_id: int) -> dict[str, Any]:
    """The person's rows by table (``SECTIONS``), and under ``acted_on`` the rows of others they
    acted on, as ``{"table.column": [primary keys]}``; JSON-ready."""
    tables = Base.metadata.tables
    found: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {name: {} for name in SECTIONS}

    def keep(name: str, rows: list[dict[str, Any]]) -> None:
        key = _key(tables[name])
        for row in rows:
            found[name][tuple(row[column] for column in key)] = row

    for name, columns in OWN.items():
        table = tables[name]
        condition = or_(*(table.c[column] == user_id for column in columns))
        if name == AuditEntry.__tablename__:  # what was done to them, too
            condition = or_(condition, (table.c.target_type == "user") & (table.c.target_id == user_id))
        keep(name, _rows(await session.execute(select(table).where(condition).order_by(*table.primary_key))))
    for name, (column, parent) in CHILDREN.items():
        table = tables[name]
        parents = [row["id"] for row in found[parent].values()]
        if parents:
            query = select(table).where(table.c[column].in_(parents)).order_by(*table.primary_key)
            keep(name, _rows(await session.execute(query)))
    acted_on: dict[str, list[Any]] = {}
    for name, columns in ACTED_ON.items():
        table = tables[name]
        key = [table.c[column] for column in _key(table)]
        for column in columns:
            result = await session.execute(select(*key).where(table.c[column] == user_id).order_by(*key))
            ids = [row[0] if len(row) == 1 else list(row) for row in result]
            if ids:
                acted_on[f"{name}.{column}"] = ids
    export: dict[str, Any] = {name: list(found[name].values()) for name in SECTIONS}
    export["acted_on"] = acted_on
    return export
