"""import_employees: every row checked first, nothing half-written, a report per row."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from profiles.employee_import import import_employees
from profiles.models import EmployeeImport, User
from tests.helpers import run_tasks

HEADER = "email,full_name,department,position,service_start,service_end,role\n"


def csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def test_good_rows_create_and_update_members(division, mentor):
    report = import_employees(
        csv(
            f"new@example.com,Новый Сотрудник,{division.name},Специалист,2026-10-01,,",
            f"{mentor.email.upper()},{mentor.full_name},{division.name},Главный специалист,"
            "01.02.2019,,mentor",
        )
    )
    assert (report.created, report.updated, report.errors, report.written) == (1, 1, [], True)
    new = User.objects.get(email="new@example.com")
    assert (new.department, new.role, new.service_start) == (
        division,
        "newcomer",
        datetime.date(2026, 10, 1),
    )
    mentor.refresh_from_db()
    assert mentor.position == "Главный специалист"


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("bad-email,Имя,{d},,,,", "email"),
        ("a@example.com,Имя,Нет такого отдела,,,,", "department"),
        ("a@example.com,Имя,{d},,32.13.2020,,", "service_start"),
        ("a@example.com,Имя,{d},,2024-01-02,2023-01-01,", "service_end"),
        ("a@example.com,Имя,{d},,,,boss", "role"),
        ("a@example.com,,{d},,,,", "full_name"),
    ],
)
def test_one_bad_row_stops_the_whole_file_and_is_reported(division, row, column):
    report = import_employees(
        csv(f"ok@example.com,Хороший,{division.name},,,,", row.format(d=division.name))
    )
    assert [(e.line, e.column) for e in report.errors] == [(3, column)]
    assert not report.written and not User.objects.filter(email="ok@example.com").exists()


def test_duplicate_emails_in_the_file_are_reported_with_both_lines(division):
    report = import_employees(
        csv(
            f"same@example.com,Один,{division.name},,,,",
            f"SAME@example.com,Два,{division.name},,,,",
        )
    )
    assert [(e.line, e.column) for e in report.errors] == [(3, "email")]
    assert "2" in report.errors[0].message


def test_partial_writes_only_the_good_rows(division):
    report = import_employees(
        csv(f"ok@example.com,Хороший,{division.name},,,,", "bad,Плохой,Нет,,,,"), partial=True
    )
    assert report.written and report.created == 1 and len(report.errors) == 2
    assert User.objects.filter(email="ok@example.com").exists()


def test_a_dry_run_reports_and_writes_nothing(division):
    report = import_employees(csv(f"ok@example.com,Хороший,{division.name},,,,"), dry_run=True)
    assert report.created == 1 and not report.written
    assert not User.objects.filter(email="ok@example.com").exists()


@pytest.mark.parametrize("data", [b"\xff\xfe\x00garbage", b"name;surname\nx;y\n", b""])
def test_malformed_files_are_refused_whole(data):
    report = import_employees(data)
    assert report.errors and not report.written


def test_semicolons_and_a_bom_are_understood(division):
    data = (
        "\ufeff"
        + HEADER.replace(",", ";")
        + f"semi@example.com;Точка Запятая;{division.name};;;;\n"
    ).encode()
    assert import_employees(data).created == 1


def test_an_import_never_demotes_a_coordinator(division, coordinator):
    import_employees(csv(f"{coordinator.email},{coordinator.full_name},{division.name},,,,"))
    coordinator.refresh_from_db()
    assert coordinator.is_coordinator


def test_the_command_shows_progress_errors_and_refuses_without_partial(division, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(
        csv(*(f"p{n}@example.com,Сотрудник {n},{division.name},,,," for n in range(3)))
    )
    output = io.StringIO()
    call_command("import_employees", str(good), "--dry-run", stdout=output)
    assert "3 created" in output.getvalue()
    assert not User.objects.filter(email="p0@example.com").exists()
    output = io.StringIO()
    call_command("import_employees", str(good), stdout=output)
    assert "3/3" in output.getvalue()
    assert User.objects.filter(email__startswith="p").count() == 3

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv("broken,Имя,Нет,,,,"))
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_employees", str(bad), stdout=io.StringIO(), stderr=errors)
    assert "line 2 email" in errors.getvalue()
    with pytest.raises(CommandError):
        call_command("import_employees", str(tmp_path / "missing.csv"))


def test_coordinators_check_then_import_on_the_page(login, coordinator, division, mentor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = csv(f"page@example.com,Со Страницы,{division.name},,,,", "broken,Имя,Нет,,,,")
    client = login(coordinator)
    checked = client.post(
        "/people/import/", {"file": SimpleUploadedFile("hr.csv", data), "dry_run": "on"}
    )
    assert checked.status_code == 302  # to the import's own page
    waiting = client.get(checked["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in waiting  # the page follows the worker
    run_tasks()
    page = client.get(checked["Location"]).content.decode()
    assert 'id="import-report"' in page and "every 1s" not in page
    assert "Нет" in page and not User.objects.filter(email="page@example.com").exists()
    # The checked file is imported from its page, without choosing it again.
    assert 'id="import-checked"' in page
    imported = client.post(checked["Location"], {"partial": "on"})
    run_tasks()
    assert User.objects.filter(email="page@example.com").exists()
    report = client.get(imported["Location"]).content.decode()
    assert "Новых участников: 1" in report or "New members: 1" in report
    # Once written, the HR file is deleted: personal data is not kept.
    assert set(EmployeeImport.objects.values_list("file", flat=True)) == {""}
    assert login(mentor).get("/people/import/").status_code == 403
    assert login(mentor).get(imported["Location"]).status_code == 403


def test_a_large_import_shows_its_progress_as_it_writes(division, coordinator, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from profiles import employee_import

    rows = [f"p{n}@example.com,Сотрудник {n},{division.name},,,," for n in range(250)]
    job = employee_import.employee_import_start(
        coordinator=coordinator,
        upload=SimpleUploadedFile("big.csv", csv(*rows)),
        dry_run=False,
        partial=False,
    )
    seen = []
    write = employee_import._write

    def watch(row, report):
        job.refresh_from_db()
        seen.append((job.state, job.rows_done, job.rows_total))
        write(row, report)

    monkeypatch.setattr(employee_import, "_write", watch)
    run_tasks()
    assert seen[0] == ("running", 0, 0)
    assert ("running", 100, 250) in seen and ("running", 200, 250) in seen
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.created, job.written) == ("done", 250, 250, True)


def test_uploaded_files_are_deleted_after_a_day(division, coordinator):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from profiles import employee_import

    job = employee_import.employee_import_start(
        coordinator=coordinator,
        upload=SimpleUploadedFile("hr.csv", csv(f"x@example.com,Икс,{division.name},,,,")),
        dry_run=True,
        partial=False,
    )
    run_tasks()
    job.refresh_from_db()
    stored = job.file.name
    assert job.file.storage.exists(stored)
    assert employee_import.import_files_purge() == 0
    later = timezone.now() + datetime.timedelta(days=1, minutes=1)
    assert employee_import.import_files_purge(later) == 1
    assert not job.file.storage.exists(stored)
    job.refresh_from_db()
    assert job.file.name == ""


def test_a_file_with_cr_only_line_endings_is_read(division):
    text = csv(*(f"cr{n}@example.com,Сотрудник {n},{division.name},,,," for n in range(3)))
    report = import_employees(text.replace(b"\n", b"\r"))
    assert (report.errors, report.created) == ([], 3)


def test_a_huge_field_is_an_error_on_its_line_not_a_crash(division):
    huge = "x" * 200_000
    data = csv(
        f"a@example.com,Имя,{division.name},,,,", f"b@example.com,{huge},{division.name},,,,"
    )
    report = import_employees(data)
    assert [(e.line, e.column) for e in report.errors] == [(3, "")]
    assert "131072" in report.errors[0].message
    assert not User.objects.filter(email="a@example.com").exists()


def test_invalid_utf8_midway_is_reported_on_its_line(division):
    data = csv(f"a@example.com,Имя,{division.name},,,,") + b"b@example.com,\xff\xfe,x,,,,\n"
    report = import_employees(data)
    assert report.errors and report.errors[0].column == ""
    assert not User.objects.filter(email="a@example.com").exists()


def test_an_import_never_changes_a_staff_account(division, mentor):
    admin = User.objects.create_superuser("root@example.com", "pw", full_name="Администратор")
    report = import_employees(
        csv(
            f"root@example.com,Чужое Имя,{division.name},Уборщик,,,newcomer",
            f"{mentor.email},Алия Хасанова,{division.name},Эксперт,,,mentor",
        ),
        partial=True,
    )
    assert [(e.line, e.column) for e in report.errors] == [(2, "email")]
    admin.refresh_from_db()
    assert (admin.full_name, admin.department_id, admin.role) == (
        "Администратор", None, User.Role.COORDINATOR,
    )  # fmt: skip
    assert report.updated == 1


def test_a_dry_run_takes_no_write_lock(division, django_assert_num_queries):
    """Only reads: the departments, which emails exist, which of them are staff."""
    data = csv(*(f"d{n}@example.com,Сотрудник {n},{division.name},,,," for n in range(50)))
    with django_assert_num_queries(3):
        report = import_employees(data, dry_run=True)
    assert (report.created, report.updated, report.written) == (50, 0, False)


def test_the_write_goes_in_short_transactions(division, monkeypatch):
    from profiles import employee_import

    monkeypatch.setattr(employee_import, "WRITE_BATCH", 2)
    seen = []
    data = csv(*(f"w{n}@example.com,Сотрудник {n},{division.name},,,," for n in range(5)))
    report = import_employees(data, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 5), (4, 5), (5, 5)]
    assert report.created == 5


def test_only_a_checked_file_is_imported_from_its_page(login, coordinator, division):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from profiles import employee_import

    written = employee_import.employee_import_start(
        coordinator=coordinator,
        upload=SimpleUploadedFile("hr.csv", csv(f"w@example.com,Вэ,{division.name},,,,")),
        dry_run=False,
        partial=False,
    )
    run_tasks()
    client = login(coordinator)
    response = client.post(written.get_absolute_url(), follow=True)
    assert "Импортировать отсюда можно только проверенный файл" in response.content.decode()
    assert EmployeeImport.objects.count() == 1  # nothing new was queued
