"""The community core's one table: the search index (community/search.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    """One searchable object: its text, where it links, and what decides who may see it."""

    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who may see a document is decided by these, per kind (SearchKind.visible_to).
    category_id = models.PositiveBigIntegerField(null=True, blank=True)
    room_id = models.PositiveBigIntegerField(null=True, blank=True)
    tags = models.CharField(max_length=500, blank=True)
    # PostgreSQL only (with a GIN index, made by the migration); SQLite uses an FTS5 table.
    search_vector = SearchVectorField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once")
        ]
        indexes = [
            models.Index(fields=["kind", "category_id"]),
            models.Index(fields=["kind", "room_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"
