"""Saratov / Петровский муниципальный район (seed 002) ships; the region's bodies are named on screen
(«ЦНППМ КОИРО», «ЦНППМ КРИПКиПРО») and a municipality's own methodical service is shown to its people."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from domain.region import RegionConfig
from handlers.callbacks import WorkspaceAction, WorkspaceCb
from storage.models import Caseload, Municipality, User
from storage.regions_loader import RegionConfigError, read_region_file, shipped_region_files
from tests.conftest import NOW, App
from tests.flows import onboard, onboard_elsewhere


def _saratov() -> RegionConfig:
    return read_region_file(next(p for p in shipped_region_files() if p.stem == "saratov"))


def test_saratov_ships_with_petrovsk_and_its_methodical_service() -> None:
    saratov = _saratov()
    assert saratov.code == "saratov"
    assert saratov.timezone == "Europe/Saratov"
    assert saratov.organisations.authority == "Министерство образования Саратовской области"
    assert saratov.organisations.iro == "ГАУ ДПО «СОИРО»"
    assert saratov.organisations.assessment_centre == "ГАУ СО «РЦОКО»"
    assert saratov.labels.municipal_association == "РМО"
    petrovsky = next(m for m in saratov.municipalities if m.id == "petrovsky")
    assert petrovsky.name == "Петровский муниципальный район"
    assert petrovsky.methodical_service == "МКУ «Методико-правовой центр»"
    assert petrovsky.schools  # demo schools, so that a Petrovsk teacher can pick one
    # No other municipality claims a service of its own: 002 names only Petrovsk's.
    assert [m.id for m in saratov.municipalities if m.methodical_service] == ["petrovsky"]


def _write(tmp_path: Path, change) -> Path:
    source = next(p for p in shipped_region_files() if p.stem == "saratov")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "saratov.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda d: d["municipalities"][0].update(methodical_service=""),
            "municipalities.0.methodical_service",
        ),
        (lambda d: d["organisations"].update(cnppm_short="Ц"), "organisations.cnppm_short"),
        (lambda d: d["organisations"].update(iro_short=""), "organisations.iro_short"),
        (lambda d: d["organisations"].update(assessment_centre="x" * 301), "organisations.assessment_centre"),
        (lambda d: d["municipalities"][0].update(mms="МКУ"), "municipalities.0.mms"),
        (lambda d: d.update(timezone="Europe/Petrovsk"), "timezone"),
    ],
)
def test_a_broken_saratov_file_is_refused_with_the_field(tmp_path: Path, change, field: str) -> None:
    path = _write(tmp_path, change)
    with pytest.raises(RegionConfigError) as err:
        read_region_file(path)
    assert field in str(err.value)


async def test_a_petrovsk_teacher_registers_and_sees_the_methodical_service(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Сидорова Анна Викторовна")
    await chat.press("Учитель")
    assert any("Саратовская" in b for b in chat.buttons())  # onboarding offers the region
    await chat.press("Саратовская")
    await chat.send("Петров")
    await chat.press("Петровский муниципальный район")
    await chat.press("СОШ № 1 г. Петровска")
    await chat.press("Математика")
    await chat.press("Готово")
    await chat.send("14.05.1998")
    await chat.send("2024")
    await chat.press("Первая")
    chat.expect("Профиль заполнен", "Петровский муниципальный район", "СОШ № 1 г. Петровска")
    chat.expect("Методическая служба: МКУ «Методико-правовой центр»")
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User))
        assert user is not None and user.region_code == "saratov"
        place = await session.get(Municipality, user.municipality_id)
        assert place is not None and place.external_id == "petrovsky"
    await chat.send("👤 Профиль")
    chat.expect("Методическая служба: МКУ «Методико-правовой центр»")


async def test_a_kostroma_teacher_without_a_named_service_sees_no_service_line(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    assert "Методическая служба" not in chat.text


async def test_the_kostroma_teacher_is_told_the_official_diagnosis_is_by_koiro(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.send("🧭 Самодиагностика")
    chat.expect("проводит ЦНППМ КОИРО")


async def test_the_kuzbass_teacher_is_told_the_official_diagnosis_is_by_kripkipro(app: App) -> None:
    chat = app.chat()
    await onboard_elsewhere(chat)
    await chat.send("🧭 Самодиагностика")
    chat.expect("проводит ЦНППМ КРИПКиПРО")


# --- the municipal layer through the real dispatcher ----------------------------------------------

PETROVSK_METHODIST, PETROVSK_ADMIN, PETROVSK_TEACHER, ENGELS_TEACHER = 4101, 4102, 4103, 4104


async def petrovsk_people(app: App) -> dict[int, int]:
    """A municipal methodist and an ММС admin of Петровский район, a teacher there and one in
    Энгельсский район — both (by a stale rule) in the methodist's caseload. Telegram id → user id."""
    async with app.database.sessionmaker() as session:
        places = {
            m.external_id: m.id
            for m in await session.scalars(select(Municipality).where(Municipality.region_code == "saratov"))
        }
        people = {
            PETROVSK_METHODIST: User(
                role="methodist", full_name="Методистова Ольга", staff_title="municipal_methodist"
            ),
            PETROVSK_ADMIN: User(role="admin", full_name="Админова Ирина", staff_title="mms"),
            PETROVSK_TEACHER: User(role="teacher", full_name="Петрова Анна Викторовна", position="teacher"),
            ENGELS_TEACHER: User(role="teacher", full_name="Энгельсова Вера Ильинична", position="teacher"),
        }
        for telegram_id, person in people.items():
            person.telegram_id, person.locale, person.consent_at = telegram_id, "ru", NOW
            person.profile_completed_at, person.region_code = NOW, "saratov"
            person.municipality_id = places["engelssky" if telegram_id == ENGELS_TEACHER else "petrovsky"]
            if person.role != "teacher":
                person.organisation, person.also_teacher = "МКУ «Методико-правовой центр»", False
        session.add_all(people.values())
        await session.flush()
        ids = {key: person.id for key, person in people.items()}
        session.add_all(
            Caseload(teacher_id=ids[t], methodist_id=ids[PETROVSK_METHODIST], source="rule")
            for t in (PETROVSK_TEACHER, ENGELS_TEACHER)
        )
        await session.commit()
    return ids


async def test_a_petrovsk_municipal_methodist_sees_and_opens_only_petrovsk_teachers(app: App) -> None:
    ids = await petrovsk_people(app)
    methodist = app.chat(PETROVSK_METHODIST)
    await methodist.send("/start")
    await methodist.press_data(WorkspaceCb(action=WorkspaceAction.LIST).pack())
    methodist.expect("1 педагог")
    listed = " ".join(methodist.buttons())
    assert "Петрова Анна Викторовна" in listed and "Энгельсова" not in listed
    await methodist.press_data(
        WorkspaceCb(action=WorkspaceAction.CARD, teacher_id=ids[ENGELS_TEACHER]).pack()
    )
    assert "устарела" in app.stub.callback_answers[-1].get("text", "")
    await methodist.press_data(
        WorkspaceCb(action=WorkspaceAction.CARD, teacher_id=ids[PETROVSK_TEACHER]).pack()
    )
    methodist.expect("Петрова Анна Викторовна", "Методическая служба: МКУ «Методико-правовой центр»")


async def test_a_petrovsk_municipal_admin_cannot_assign_a_teacher_of_another_municipality(app: App) -> None:
    ids = await petrovsk_people(app)
    admin = app.chat(PETROVSK_ADMIN)
    await admin.send("/caseload")
    assert "Методистова Ольга" in " ".join(admin.buttons())
    forged = WorkspaceCb(
        action=WorkspaceAction.ASSIGN_SET,
        teacher_id=ids[ENGELS_TEACHER],
        methodist_id=ids[PETROVSK_METHODIST],
    )
    await admin.press_data(forged.pack())
    assert "устарела" in app.stub.callback_answers[-1].get("text", "")
    async with app.database.sessionmaker() as session:
        moved = await session.get(Caseload, ids[ENGELS_TEACHER])
        assert moved is not None and moved.source == "rule"  # untouched


async def test_a_kuzbass_iro_specialist_is_shown_as_of_kripkipro(app: App) -> None:
    async with app.database.sessionmaker() as session:
        session.add(
            User(
                telegram_id=4201,
                locale="ru",
                consent_at=NOW,
                profile_completed_at=NOW,
                role="methodist",
                full_name="Кузбассова Елена",
                region_code="kuzbass",
                staff_title="iro",
                organisation="КРИПКиПРО",
                also_teacher=False,
            )
        )
        await session.commit()
    chat = app.chat(4201)
    await chat.send("👤 Профиль")
    chat.expect("Роль: Специалист КРИПКиПРО")
