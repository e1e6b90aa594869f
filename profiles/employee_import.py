"""Import employees from the HR system's CSV: departments, positions and service dates.

Columns (a header row, UTF-8, comma or semicolon): email, full_name, department, position,
service_start, service_end, role. Dates are YYYY-MM-DD or DD.MM.YYYY; role is newcomer,
mentor or coordinator (newcomer when empty). A known email updates that member.

Every row is checked before anything is written. With errors nothing is written unless
`partial` is asked for, and then only the rows without errors are. Staff accounts are
never changed by an import: the administrator manages them in the admin.

The file is read as a stream (any line endings, CR-only included). A dry run only reads
the database, and the real run writes in short transactions of WRITE_BATCH rows, so that
members keep working while a large file goes in; a run that fails half-way is finished
by running it again, since a known email updates its member.
"""

from __future__ import annotations

import csv
import datetime
import io
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from community.background.queue import enqueue_on_commit
from profiles import services
from profiles.models import Department, EmployeeImport, User

COLUMNS = ("email", "full_name", "department", "position", "service_start", "service_end", "role")
MAX_ROWS = 20000
# Rows written per transaction: each holds SQLite's one write lock for a few tenths of a
# second at most.
WRITE_BATCH = 100
# On SQLite, the pause between batches in which members' writes (a login, a reply) that
# waited for the lock get it: its busy handler retries at most every 100 ms, and without
# a pause the import would take the lock again first. PostgreSQL locks rows, not the file.
SQLITE_PAUSE_SECONDS = 0.1
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


def import_employees(
    data: bytes | IO[bytes],
    *,
    dry_run: bool = False,
    partial: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check every row of a CSV (bytes or a binary file), then write them, or only count
    what would be written (`dry_run`)."""
    report = ImportReport()
    rows = _without_staff(_read(data, report), report)
    if report.errors and not partial:
        return report
    existing = _existing_emails([row.email for row in rows])
    if dry_run:
        report.updated = sum(row.email in existing for row in rows)
        report.created = len(rows) - report.updated
        return report
    for start in range(0, len(rows), WRITE_BATCH):
        batch = rows[start : start + WRITE_BATCH]
        with transaction.atomic():
            for row in batch:
                _write(row, report)
        if progress is not None:
            progress(start + len(batch), len(rows))
        if connection.vendor == "sqlite" and start + WRITE_BATCH < len(rows):
            time.sleep(SQLITE_PAUSE_SECONDS)
    report.written = bool(rows)
    return report


def _text(data: bytes | IO[bytes]) -> io.TextIOWrapper:
    """The file as text, decoded as it is read. newline="" leaves line endings to the csv
    reader, which takes CR, LF and CRLF alike (a CR-only export from old Excel too)."""
    binary = io.BytesIO(data) if isinstance(data, bytes) else data
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def _records(reader: csv.DictReader, report: ImportReport) -> Iterator[dict]:
    """The reader's records, with an unreadable record reported on the line it starts on
    (the one after the last good record), not raised."""
    while True:
        last_good = reader.line_num
        try:
            yield next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            report.errors.append(
                RowError(last_good + 1, "", _("The file is not UTF-8 text from here on."))
            )
            return
        except csv.Error:
            report.errors.append(
                RowError(
                    last_good + 1,
                    "",
                    _(
                        "This line cannot be read: a field is longer than %(limit)d characters "
                        "or its quotes do not close."
                    )
                    % {"limit": csv.field_size_limit()},
                )
            )
            return


def _read(data: bytes | IO[bytes], report: ImportReport) -> list[_Row]:
    text = _text(data)
    try:
        head = text.read(1000)
        text.seek(0)
    except UnicodeDecodeError:
        report.errors.append(RowError(1, "", _("The file is not UTF-8 text.")))
        return []
    dialect = csv.excel if head.count(",") >= head.count(";") else _Semicolon
    reader = csv.DictReader(text, dialect=dialect)
    try:
        fieldnames = reader.fieldnames or []
    except (csv.Error, UnicodeDecodeError):
        report.errors.append(RowError(1, "", _("The header row cannot be read.")))
        return []
    header = [(name or "").strip().casefold() for name in fieldnames]
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
    for record in _records(reader, report):
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


def _existing_emails(emails: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(emails), 500):  # SQLite bounds a statement's parameters
        chunk = emails[start : start + 500]
        found.update(User.objects.filter(email__in=chunk).values_list("email", flat=True))
    return found


def _without_staff(rows: list[_Row], report: ImportReport) -> list[_Row]:
    """Rows for staff accounts are errors: the admin refuses to let coordinators change
    staff, and an import must not do it behind its back."""
    staff: set[str] = set()
    emails = [row.email for row in rows]
    for start in range(0, len(emails), 500):
        staff.update(
            User.objects.filter(email__in=emails[start : start + 500])
            .filter(Q(is_staff=True) | Q(is_superuser=True))
            .values_list("email", flat=True)
        )
    for row in rows:
        if row.email in staff:
            report.errors.append(
                RowError(row.line, "email", _("A staff account: the administrator changes it."))
            )
    return [row for row in rows if row.email not in staff]


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


# --- On the import page: a worker runs the upload (profiles/tasks.py) ----------------------

# How long an uploaded file is kept, so that a coordinator can import it after a dry run.
KEEP_FILE = datetime.timedelta(days=1)


def employee_import_start(
    *, coordinator, upload, dry_run: bool, partial: bool, reuse: EmployeeImport | None = None
) -> EmployeeImport:
    """Store the upload (or reuse a checked one's file) and queue it for a worker."""
    from profiles import tasks  # its tasks call into this module

    with transaction.atomic():
        job = EmployeeImport(
            uploaded_by=coordinator,
            dry_run=dry_run,
            partial=partial,
            file_name=reuse.file_name if reuse else upload.name[:255],
        )
        if reuse is not None:
            job.file.name = reuse.file.name
        else:
            job.file.save(f"{uuid.uuid4().hex}.csv", upload, save=False)
        job.save()
        enqueue_on_commit(tasks.run_employee_import, job.pk)
    return job


def employee_import_write_checked(*, coordinator, checked: EmployeeImport, partial: bool):
    """Import for real a file that a dry run has checked, without uploading it again."""
    if not checked.dry_run or checked.state != EmployeeImport.State.DONE:
        raise ValidationError(_("Only a file that has been checked can be imported from here."))
    if not checked.file:
        raise ValidationError(_("The uploaded file is no longer kept; upload it again."))
    return employee_import_start(
        coordinator=coordinator, upload=None, dry_run=False, partial=partial, reuse=checked
    )


def employee_import_run(import_id: int) -> None:
    """Run a queued import, recording its progress as it goes (run by a worker).

    Run again after a worker died, it starts over: a known email updates its member, so
    the rows written the first time are written again to the same values.
    """
    job = EmployeeImport.objects.filter(pk=import_id).first()
    if job is None or job.state == EmployeeImport.State.DONE:
        return  # deleted meanwhile, or already done
    EmployeeImport.objects.filter(pk=job.pk).update(state=EmployeeImport.State.RUNNING)

    def progress(done: int, total: int) -> None:
        EmployeeImport.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total)

    try:
        with job.file.open("rb") as stream:
            report = import_employees(
                stream, dry_run=job.dry_run, partial=job.partial, progress=progress
            )
    except OSError:
        # The file is gone (kept a day only): say so on the page rather than fail silently.
        EmployeeImport.objects.filter(pk=job.pk).update(
            state=EmployeeImport.State.FAILED,
            errors=[[0, "", _("The uploaded file is no longer kept; upload it again.")]],
            error_count=1,
            finished_at=timezone.now(),
        )
        return
    EmployeeImport.objects.filter(pk=job.pk).update(
        state=EmployeeImport.State.DONE,
        created=report.created,
        updated=report.updated,
        errors=[[e.line, e.column, e.message] for e in report.errors[: EmployeeImport.ERRORS_KEPT]],
        error_count=len(report.errors),
        written=report.written,
        finished_at=timezone.now(),
    )
    if report.written:
        _forget_file(job)


def import_files_purge(now: datetime.datetime | None = None) -> int:
    """Delete uploaded files older than KEEP_FILE (periodic): HR data is not kept."""
    old = EmployeeImport.objects.filter(created_at__lt=(now or timezone.now()) - KEEP_FILE)
    names = set(old.exclude(file="").values_list("file", flat=True))
    _forget_files(names)
    return len(names)


def _forget_file(job: EmployeeImport) -> None:
    _forget_files({job.file.name} - {""})


def _forget_files(names: set[str]) -> None:
    # Every import of an upload (a dry run, then the real one) loses it together.
    EmployeeImport.objects.filter(file__in=names).update(file="")
    storage = EmployeeImport._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
