"""The knowledge base's places on profiles and thread pages."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from chat.extensions import RoomTool, register_room_tool
from community.home import HomePanel, register_home_panel
from knowledge import rules, selectors
from forum.extensions import ThreadAside, register_thread_aside
from profiles.activity import ActivityPanel, register_activity_panel


def _profile_articles(member, viewer) -> dict | None:
    work = selectors.profile_articles(member)
    groups = [(_("Wrote"), work["author"]), (_("Contributed to"), work["contributor"]),
              (_("Verified"), work["verified"])]
    return {"groups": groups} if any(items for _label, items in groups) else None


def _thread_articles(thread, viewer) -> dict | None:
    articles = list(selectors.articles_from_thread(thread))
    can_promote = rules.can_write(viewer)
    if not articles and not can_promote:
        return None
    return {"articles": articles, "can_promote": can_promote, "thread": thread}


def _suggested(user) -> dict | None:
    """For newcomers: practices and articles, the verified ones first."""
    if not user.is_newcomer:
        return None
    articles = list(selectors.published().order_by(F("verified_at").desc(nulls_last=True),
                                                    "-updated_at")[:5])
    return {"articles": articles} if articles else None


def _promotes_chat(room, viewer) -> bool:
    return rules.can_write(viewer)


def register() -> None:
    register_activity_panel(ActivityPanel(
        key="knowledge-articles", title=_("Knowledge base"),
        template="knowledge/partials/profile_articles.html", context=_profile_articles,
        order=30))
    register_thread_aside(ThreadAside(
        key="knowledge", template="knowledge/partials/thread_aside.html",
        context=_thread_articles))
    register_home_panel(HomePanel(key="knowledge-suggested", title=_("Worth reading"),
                                  template="knowledge/partials/home_articles.html",
                                  context=_suggested, order=40))
    register_room_tool(RoomTool(key="knowledge", template="knowledge/partials/chat_tool.html",
                                shown=_promotes_chat))
