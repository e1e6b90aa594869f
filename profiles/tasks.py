"""Profiles' background work, run by the workers (community/background)."""

from __future__ import annotations

from django_tasks import task

from profiles import employee_import, services


@task()
def email_application_submitted(application_id: int) -> int:
    return services.application_submitted_email(application_id)


@task()
def email_application_decided(application_id: int) -> int:
    return services.application_decided_email(application_id)


@task()
def run_employee_import(import_id: int) -> None:
    """An HR file uploaded on the import page (profiles/employee_import.py)."""
    employee_import.employee_import_run(import_id)


@task()
def purge_import_files() -> int:
    """Periodic, daily: uploaded HR files are kept a day, then deleted."""
    return employee_import.import_files_purge()
