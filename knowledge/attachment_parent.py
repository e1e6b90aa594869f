"""Articles as what attachments belong to: a draft's files stay with the draft's readers."""

from __future__ import annotations

from community.attachments.parents import ParentKind

KIND = "knowledge.article"


def _readable(user, article_id: int) -> bool:
    from knowledge import rules
    from knowledge.models import Article

    article = Article.objects.filter(pk=article_id).first()
    return article is not None and rules.can_read(user, article)


PARENT = ParentKind(KIND, _readable)
