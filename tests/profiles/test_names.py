"""Names: their parts in either order, their cases in Russian sentences, greetings by first
name and lists by surname."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from profiles import demo, grammar, naming, services
from profiles.models import User
from tests.conftest import make_member

DEMO_NAMES = [person[1] for person in [demo.COORDINATOR, *demo.MENTORS, *demo.NEWCOMERS]]


def orders(full_name: str) -> dict[str, str]:
    """«Имя Отчество Фамилия» typed the four ways people type it."""
    first, patronymic, surname = full_name.split()
    return {
        "speech": full_name,
        "official": f"{surname} {first} {patronymic}",
        "short": f"{first} {surname}",
        "short official": f"{surname} {first}",
    }


@pytest.fixture
def russian():
    with translation.override("ru"):
        yield


# --- Parts ----------------------------------------------------------------------------


@pytest.mark.parametrize("full_name", DEMO_NAMES)
def test_every_demo_name_parses_in_every_order(full_name):
    first, patronymic, surname = full_name.split()
    for order, typed in orders(full_name).items():
        parts = naming.name_parts(typed)
        assert parts is not None, order
        assert (parts.first, parts.surname) == (first, surname), order
        assert parts.patronymic in ("", patronymic)
        assert naming.given_name(typed) == first
        assert naming.sort_key(typed).startswith(naming.search_key(f"{surname} {first}"))


@pytest.mark.parametrize(
    ("typed", "first", "surname"),
    [
        ("Иванова Анна", "Анна", "Иванова"),
        ("Кузнецова Марина", "Марина", "Кузнецова"),
        ("Сафиуллина Зарина", "Зарина", "Сафиуллина"),
        ("Толстой Лев", "Лев", "Толстой"),
        ("Шостакович Дмитрий Дмитриевич", "Дмитрий", "Шостакович"),
        ("Дмитрий Дмитриевич Шостакович", "Дмитрий", "Шостакович"),
        ("John Smith", "John", "Smith"),
    ],
)
def test_the_first_name_is_found_whichever_comes_first(typed, first, surname):
    parts = naming.name_parts(typed)
    assert parts is not None and (parts.first, parts.surname) == (first, surname)


@pytest.mark.parametrize("typed", ["Тимур", "Анна Мария Иванова", "Арзу Лутфияр кызы Алиева"])
def test_names_of_another_shape_have_no_parts_but_still_a_greeting(typed):
    assert naming.name_parts(typed) is None
    assert naming.given_name(typed) == typed.split()[0]


# --- Cases ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_name", "case", "expected"),
    [
        ("Тимур Айратович Сабиров", grammar.GENITIVE, "Тимура Айратовича Сабирова"),
        ("Тимур Айратович Сабиров", grammar.DATIVE, "Тимуру Айратовичу Сабирову"),
        ("Тимур Айратович Сабиров", grammar.INSTRUMENTAL, "Тимуром Айратовичем Сабировым"),
        ("Тимур Сабиров", grammar.GENITIVE, "Тимура Сабирова"),
        ("Сабиров Тимур Айратович", grammar.DATIVE, "Сабирову Тимуру Айратовичу"),
        ("Алия Маратовна Хасанова", grammar.GENITIVE, "Алии Маратовны Хасановой"),
        ("Алия Хасанова", grammar.GENITIVE, "Алии Хасановой"),
        ("Хасанова Алия", grammar.GENITIVE, "Хасановой Алии"),
        ("Елена Викторовна Морозова", grammar.DATIVE, "Елене Викторовне Морозовой"),
        ("Лейсан Рамилевна Хайруллина", grammar.GENITIVE, "Лейсан Рамилевны Хайруллиной"),
        # A woman's first name that ends like a man's: the surname tells.
        ("Гузель Камалова", grammar.DATIVE, "Гузель Камаловой"),
        ("Анна-Мария Салтыкова-Щедрина", grammar.GENITIVE, "Анны-Марии Салтыковой-Щедриной"),
        ("ТИМУР САБИРОВ", grammar.GENITIVE, "ТИМУРА САБИРОВА"),
    ],
)
def test_names_take_the_case_in_russian(russian, full_name, case, expected):
    assert grammar.name_in_case(full_name, case) == expected


@pytest.mark.parametrize("full_name", DEMO_NAMES)
def test_every_demo_name_declines(russian, full_name):
    woman = full_name.split()[1].endswith("на")
    for typed in orders(full_name).values():
        genitive = grammar.name_in_case(typed, grammar.GENITIVE)
        assert len(genitive.split()) == len(typed.split()), typed
        surname = next(w for w in genitive.split() if w.startswith(full_name.split()[2][:3]))
        assert surname.endswith("ой" if woman else "а"), genitive


@pytest.mark.parametrize(
    ("full_name", "genitive", "dative"),
    [
        ("Иван Smith", "участника Иван Smith", "участнику Иван Smith"),
        ("John Smith", "участника John Smith", "участнику John Smith"),
        ("Тимур", "участника Тимур", "участнику Тимур"),
        ("Анна Мария Иванова", "участника Анна Мария Иванова", "участнику Анна Мария Иванова"),
        ("Саша Ким", "участника Саша Ким", "участнику Саша Ким"),  # whose gender is unknown
    ],
)
def test_a_name_the_rules_do_not_know_stays_as_typed_after_a_noun(
    russian, full_name, genitive, dative
):
    assert grammar.name_in_case(full_name, grammar.GENITIVE) == genitive
    assert grammar.name_in_case(full_name, grammar.DATIVE) == dative


def test_english_has_no_cases():
    with translation.override("en"):
        assert grammar.name_in_case("Тимур Сабиров", grammar.GENITIVE) == "Тимур Сабиров"
        assert grammar.name_in_case("John Smith", grammar.DATIVE) == "John Smith"


@pytest.mark.django_db
def test_a_member_is_inflected_by_full_name(russian, newcomer):
    assert grammar.name_in_case(newcomer, grammar.GENITIVE) == "Тимура Сабирова"


# --- Greetings and lists --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Захарова Мария", "Мария Захарова", "Захарова Мария Петровна"])
def test_the_home_page_greets_by_first_name(login, division, typed):
    member = make_member("maria@example.com", typed, User.Role.NEWCOMER, department=division)
    assert member.get_short_name() == "Мария"
    html = login(member).get("/").content.decode()
    assert "Добро пожаловать, Мария!" in html


@pytest.mark.django_db
def test_initials_are_of_the_first_name_and_surname(division):
    member = make_member("a@example.com", "Хасанова Алия Маратовна", User.Role.MENTOR)
    assert member.initials == "АХ"


@pytest.mark.django_db
def test_the_directory_lists_members_by_surname(login, mentor, mentor2, newcomer, division):
    make_member("yana@example.com", "Богданова Яна", User.Role.NEWCOMER, department=division)
    response = login(newcomer).get("/people/")
    listed = [member.full_name for member in response.context["page"].object_list]
    assert listed == ["Богданова Яна", "Рустем Гарипов", "Тимур Сабиров", "Алия Хасанова"]


@pytest.mark.django_db
def test_renaming_a_member_moves_them_in_the_list(mentor, mentor2):
    mentor.full_name = "Алия Абдуллина"
    services.user_save(user=mentor)
    assert list(User.objects.values_list("full_name", flat=True)) == [
        "Алия Абдуллина",
        "Рустем Гарипов",
    ]


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_members_their_sort_key():
    executor = MigrationExecutor(connection)
    before, after = ("profiles", "0003_employee_import"), ("profiles", "0004_member_sort_name")
    executor.migrate([before])
    old_user = executor.loader.project_state([before]).apps.get_model("profiles", "User")
    old_user.objects.create(
        email="zakharova@example.com", full_name="Захарова Мария", slug="zakharova-mariia"
    )
    executor = MigrationExecutor(connection)  # a fresh one: it caches what it applied
    executor.migrate([after])
    assert User.objects.get(email="zakharova@example.com").sort_name == "захарова мария"
