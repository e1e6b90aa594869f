"""Articles as what attachments belong to: a draft's files stay with the draft's readers."""

from __future__ import annotations

from community.attachments.parents import ParentKind, register_parent_kind

KIND = "knowledge.article"


def _readable(user, article_id: int) -> bool:
    from knowledge import rules
    from knowledge.models import Article

    article = Article.objects.filter(pk=article_id).first()
    return article is not None and rules.can_read(user, article)


def register() -> None:
    register_parent_kind(ParentKind(KIND, _readable))
