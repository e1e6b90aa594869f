"""Import employees from a CSV file (profiles/employee_import.py lists the columns)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from profiles.employee_import import import_employees

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import departments' employees, positions and service dates from a CSV file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row and report, write nothing"
        )
        parser.add_argument(
            "--partial", action="store_true", help="write the good rows even if others have errors"
        )

    def handle(self, *args, file: Path, dry_run: bool, partial: bool, **options) -> None:
        try:
            stream = file.open("rb")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        with stream:
            report = import_employees(
                stream, dry_run=dry_run, partial=partial, progress=self._progress
            )
        for row_error in report.errors:
            self.stderr.write(f"line {row_error.line} {row_error.column}: {row_error.message}")
        verb = "would be" if dry_run else ("were" if report.written else "would have been")
        self.stdout.write(
            f"{report.created} created and {report.updated} updated {verb}; "
            f"{len(report.errors)} error(s)."
        )
        if report.errors and not partial:
            raise CommandError("Nothing was written: fix the errors, or use --partial.")

    def _progress(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total
        self.stdout.write(
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}",
            ending="\n" if done == total else "",
        )
        self.stdout.flush()
