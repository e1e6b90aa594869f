"""Rebuild the search index from the objects themselves (after an upgrade or a restore)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from community import search
from community.models import SearchDocument

BATCH = 500
BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Rebuild the search index for every searchable kind, with a progress bar."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--kind",
            action="append",
            default=[],
            help="only this kind (repeatable), e.g. forum.thread",
        )

    def handle(self, *args, kind: list[str], **options) -> None:
        chosen = [k for k in search.kinds() if not kind or k.key in kind]
        for entry in chosen:
            with transaction.atomic():
                stale = SearchDocument.objects.filter(kind=entry.key)
                for document in stale.iterator():
                    search.unindex_document(document)
            objects = entry.model._default_manager.order_by("pk")
            total, done = objects.count(), 0
            for start in range(0, total, BATCH):
                with transaction.atomic():
                    done += search.index_all(objects[start : start + BATCH])
                self._progress(entry.key, done, total)
            self._progress(entry.key, done, total, end="\n")
        search.purge_orphans()

    def _progress(self, key: str, done: int, total: int, end: str = "") -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        self.stdout.write(
            f"\r{key:<20} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}", ending=end
        )
        self.stdout.flush()
