"""Import employees from the HR system's CSV: departments, positions and service dates.

Columns (a header row, UTF-8, comma or semicolon): email, full_name, department, position,
service_start, service_end, role. Dates are YYYY-MM-DD or DD.MM.YYYY; role is newcomer,
mentor or coordinator (newcomer when empty). A known email updates that member.

Every row is checked before anything is written. With errors nothing is written unless
`partial` is asked for, and then only the rows without errors are.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from profiles import services
from profiles.models import Department, User

COLUMNS = ("email", "full_name", "department", "position", "service_start", "service_end", "role")
MAX_ROWS = 20000
ROLES = {
    "": User.Role.NEWCOMER,
    "newcomer": User.Role.NEWCOMER,
    "mentor": User.Role.MENTOR,
    "coordinator": User.Role.COORDINATOR,
}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False


@dataclass(frozen=True)
class _Row:
    line: int
    email: str
    values: dict


class _Rollback(Exception):
    """Raised inside the transaction of a dry run, so that nothing stays written."""


def import_employees(
    data: bytes,
    *,
    dry_run: bool = False,
    partial: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    report = ImportReport()
    rows = _read(data, report)
    if report.errors and not partial:
        return report
    try:
        with transaction.atomic():
            for done, row in enumerate(rows, start=1):
                _write(row, report)
                if progress is not None:
                    progress(done, len(rows))
            if dry_run:
                raise _Rollback
    except _Rollback:
        return report
    report.written = bool(rows)
    return report


def _read(data: bytes, report: ImportReport) -> list[_Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append(RowError(1, "", _("The file is not UTF-8 text.")))
        return []
    dialect = csv.excel if text[:1000].count(",") >= text[:1000].count(";") else _Semicolon
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [(name or "").strip().casefold() for name in reader.fieldnames or []]
    missing = [c for c in ("email", "full_name", "department") if c not in header]
    if missing:
        report.errors.append(
            RowError(
                1,
                ", ".join(missing),
                _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)},
            )
        )
        return []
    reader.fieldnames = header
    departments = _departments()
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if line > MAX_ROWS + 1:
            report.errors.append(
                RowError(line, "", _("At most %(count)d rows at a time.") % {"count": MAX_ROWS})
            )
            break
        row = _check(
            line, {k: (v or "").strip() for k, v in record.items() if k}, departments, report
        )
        if row is None:
            continue
        if row.email in seen:
            report.errors.append(
                RowError(
                    line, "email", _("The same email as line %(line)d.") % {"line": seen[row.email]}
                )
            )
            continue
        seen[row.email] = line
        rows.append(row)
    return rows


class _Semicolon(csv.excel):
    delimiter = ";"


def _departments() -> dict[str, list[Department]]:
    by_name: dict[str, list[Department]] = {}
    for department in Department.objects.all():
        by_name.setdefault(department.name.casefold(), []).append(department)
    return by_name


def _check(line: int, record: dict, departments, report: ImportReport) -> _Row | None:
    errors = []
    email = record.get("email", "").casefold()
    try:
        validate_email(email)
    except ValidationError:
        errors.append(RowError(line, "email", _("Not an email address.")))
    name = " ".join(record.get("full_name", "").split())
    if not name or len(name) > 150:
        errors.append(RowError(line, "full_name", _("Give a name of up to 150 characters.")))
    found = departments.get(record.get("department", "").casefold(), [])
    if len(found) != 1:
        errors.append(
            RowError(
                line,
                "department",
                (
                    _("Unknown department: %(name)s.")
                    if not found
                    else _("Several departments are called %(name)s.")
                )
                % {"name": record.get("department", "")[:200]},
            )
        )
    dates = {}
    for column in ("service_start", "service_end"):
        try:
            dates[column] = _date(record.get(column, ""))
        except ValueError:
            errors.append(
                RowError(
                    line,
                    column,
                    _("Not a date: %(value)s.") % {"value": record.get(column, "")[:40]},
                )
            )
    start, end = dates.get("service_start"), dates.get("service_end")
    if start and end and end < start:
        errors.append(RowError(line, "service_end", _("Leaves before starting.")))
    role = ROLES.get(record.get("role", "").casefold())
    if role is None:
        errors.append(RowError(line, "role", _("Role must be newcomer, mentor or coordinator.")))
    position = record.get("position", "")[:200]
    if errors:
        report.errors.extend(errors)
        return None
    return _Row(
        line,
        email,
        {"full_name": name, "department": found[0], "position": position, "role": role, **dates},
    )


def _date(value: str) -> datetime.date | None:
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def _write(row: _Row, report: ImportReport) -> None:
    """Through the one path every member takes (profiles.services.user_save)."""
    member = User.objects.filter(email__iexact=row.email).first()
    if member is None:
        services.user_create(email=row.email, password=None, **row.values)
        report.created += 1
        return
    for name, value in row.values.items():
        if name != "role" or not member.is_coordinator:  # an import never demotes a coordinator
            setattr(member, name, value)
    services.user_save(user=member)
    report.updated += 1
