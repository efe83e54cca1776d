"""services.catalogues without Telegram: choosing a kind, an admin's upload (checked before it is
read), all-or-nothing writes with an audit entry, and the command line's import."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.factory import Database
from domain.roles import Role
from services import catalogues as service
from services.results import DENIED, STALE, Invalid
from services.uow import UnitOfWork
from storage.models import AuditEntry, Program, User
from tests.conftest import NOW, Clock

GOOD = "external_id;title;provider;hours;format;areas\nx1;Курс;КОИРО;36;очно;Методические\n"
BAD = "external_id;title;provider;hours;format;areas\nx1;Курс;КОИРО;много;очно;Методические\n"


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


async def an_admin(uow: UnitOfWork, region: str | None = "kostroma") -> User:
    user = User(telegram_id=1, locale="ru", consent_at=NOW, role=Role.ADMIN, region_code=region)
    uow.session.add(user)
    await uow.commit()
    return user


class File:
    """An uploaded file: its bytes, and whether anyone read them."""

    def __init__(self, text: str) -> None:
        self.content = text.encode()
        self.reads = 0

    async def read(self) -> bytes:
        self.reads += 1
        return self.content


async def programs(database: Database) -> dict[str, str | None]:
    async with database.sessionmaker() as session:
        return {p.external_id: p.region_code for p in await session.scalars(select(Program))}


async def audit_entries(database: Database) -> list[AuditEntry]:
    async with database.sessionmaker() as session:
        return list(await session.scalars(select(AuditEntry).where(AuditEntry.action == "catalogue.import")))


def test_kind_at() -> None:
    assert service.kind_at(Role.ADMIN, 0) == service.KINDS[0] == "programs"
    assert service.kind_at(Role.ADMIN, len(service.KINDS)) is STALE
    assert service.kind_at(Role.ADMIN, -1) is STALE
    assert service.kind_at(Role.METHODIST, 0) is DENIED


async def upload(uow: UnitOfWork, admin: User, file: File, **kw: object) -> object:
    values: dict[str, object] = {"kind": "programs", "filename": "p.csv", "size": len(file.content)}
    values.update(kw)
    role = values.pop("role", Role.ADMIN)
    return await service.import_upload(
        uow,
        admin,
        role,
        "kostroma",
        read=file.read,
        **values,  # type: ignore[arg-type]
    )


async def test_an_upload_is_checked_before_it_is_read(uow: UnitOfWork, database: Database) -> None:
    admin = await an_admin(uow)
    file = File(GOOD)
    assert await upload(uow, admin, file, role=Role.METHODIST) is DENIED
    assert await upload(uow, admin, file, kind=None) is STALE  # the conversation lost its kind
    assert await upload(uow, admin, file, kind="spells") is STALE
    assert await upload(uow, admin, file, size=service.MAX_FILE_BYTES + 1) == Invalid(
        "import-file-too-big", {"max": 5}
    )
    assert file.reads == 0 and await programs(database) == {}


async def test_a_bad_row_writes_nothing_then_a_good_file_is_written_and_audited(
    uow: UnitOfWork, database: Database
) -> None:
    admin = await an_admin(uow, region=None)  # the home region's catalogue
    bad = await upload(uow, admin, File(BAD))
    assert isinstance(bad, service.Imported) and not bad.report.applied
    assert [(e.row, e.code) for e in bad.report.errors] == [(2, "import-err-not-integer")]
    assert await programs(database) == {} and await audit_entries(database) == []

    good = await upload(uow, admin, File(GOOD))
    assert isinstance(good, service.Imported) and good.report.applied and good.report.created == 1
    assert await programs(database) == {"x1": "kostroma"}
    [entry] = await audit_entries(database)
    assert entry.actor_id == admin.id and entry.details == {"kind": "programs", "created": 1, "updated": 0}

    again = await upload(uow, admin, File(GOOD))
    assert isinstance(again, service.Imported) and again.report.updated == 1


async def test_a_file_that_cannot_be_read_is_rejected(uow: UnitOfWork, database: Database) -> None:
    admin = await an_admin(uow)
    rejected = await upload(uow, admin, File("title\nКурс\n"))
    assert isinstance(rejected, service.Rejected) and rejected.error.code == "import-err-missing-columns"
    assert await programs(database) == {}


async def test_the_command_lines_import_commits(uow: UnitOfWork, database: Database) -> None:
    result = await service.import_file(uow, "programs", "kuzbass", "p.csv", GOOD.encode())
    assert isinstance(result, service.Imported) and result.report.applied
    assert await programs(database) == {"x1": "kuzbass"}
    unknown = await service.import_file(uow, "programs", "atlantis", "p.csv", GOOD.encode())
    assert isinstance(unknown, service.Rejected) and unknown.error.code == "import-err-unknown-region"
    async with database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 0
