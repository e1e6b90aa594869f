"""Who may do what in the knowledge base.

Published and archived articles are for every member. A draft is for the people credited
on it and the coordinators. Mentors and coordinators write, edit published articles (a
wiki, as Discourse's wiki posts) and verify them; newcomers read.
"""

from __future__ import annotations

from knowledge.models import Article, ArticleCredit
from profiles.roles import active_only, is_active_member, is_coordinator, is_mentor_or_coordinator


@active_only
def is_credited(user, article: Article) -> bool:
    return ArticleCredit.objects.filter(article=article, user=user).exists()


@active_only
def can_read(user, article: Article) -> bool:
    if article.status != Article.Status.DRAFT:
        return is_active_member(user)
    return is_coordinator(user) or is_credited(user, article)


@active_only
def can_write(user) -> bool:
    return is_mentor_or_coordinator(user)


@active_only
def can_edit(user, article: Article) -> bool:
    if not can_write(user):
        return False
    if article.status == Article.Status.DRAFT:
        return can_read(user, article)
    return True


@active_only
def can_publish(user, article: Article) -> bool:
    return can_edit(user, article)


@active_only
def can_archive(user, article: Article) -> bool:
    return is_coordinator(user) or (
        can_edit(user, article)
        and ArticleCredit.objects.filter(
            article=article, user=user, role=ArticleCredit.Role.AUTHOR
        ).exists()
    )


@active_only
def can_verify(user, article: Article) -> bool:
    return article.status == Article.Status.PUBLISHED and is_mentor_or_coordinator(user)
