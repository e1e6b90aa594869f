"""Articles in the community search: every member finds published and archived ones."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community import search
from knowledge.models import Article


def _document(article: Article) -> search.Document | None:
    if article.status == Article.Status.DRAFT:
        return None  # drafts are found in the drafts list, by the people they belong to
    return search.Document(
        title=article.title,
        body=f"{article.summary}\n\n{article.body}",
        created_at=article.published_at or article.created_at,
        author_id=article.created_by_id,
        tags=tuple(tag.slug for tag in article.tags.all()),
    )


ARTICLES = search.SearchKind(
    key="knowledge.article",
    label=_("Knowledge base"),
    model=Article,
    document=_document,
    visible_to=lambda user: Q(),
    url=lambda article: article.get_absolute_url(),
    order=5,
)
