"""Everything the knowledge base plugs into the floors below it (community/slots.py): its
places on profiles, thread pages, the question form and chat rooms."""

import datetime
import re

from django.utils.translation import gettext_lazy as _

from chat.slots import ROOM_TOOLS, RoomTool
from community import markup, search
from community.attachments import parents
from community.background.schedule import SCHEDULE, PeriodicJob
from community.notifications.registry import KINDS as NOTIFICATION_KINDS
from community.notifications.registry import NotificationKind
from forum.slots import ASKING_HINTS, THREAD_ASIDES, AskingHint, Link, ThreadAside
from knowledge import attachment_parent, demo, rules, search_index, selectors, tasks
from knowledge.models import Article
from profiles.activity import PANELS, ActivityPanel
from profiles.seeding import DEMO_LOADERS, DemoLoader

SIMILAR_ARTICLES = 3


def _profile_articles(member, viewer) -> dict | None:
    work = selectors.profile_articles(member)
    groups = [
        (_("Wrote"), work["author"]),
        (_("Contributed to"), work["contributor"]),
        (_("Verified"), work["verified"]),
    ]
    return {"groups": groups} if any(items for _label, items in groups) else None


def _thread_articles(thread, viewer) -> dict | None:
    articles = list(selectors.articles_from_thread(thread))
    can_promote = rules.can_write(viewer)
    if not articles and not can_promote:
        return None
    return {"articles": articles, "can_promote": can_promote, "thread": thread}


def _similar_articles(user, title: str) -> list[Link]:
    hits = search.similar(user, title, kinds=(search_index.ARTICLES.key,), limit=SIMILAR_ARTICLES)
    return [Link(title=hit.title, url=hit.url) for hit in hits]


def _promotes_chat(room, viewer) -> bool:
    return rules.can_write(viewer)


markup.COOKED_FIELDS.fill(
    markup.CookedField(Article, source="body", html="body_html", version="body_markup_version")
)
markup.LINK_TITLERS.fill(
    markup.LinkTitler(
        "knowledge.article",
        re.compile(r"/kb/a/(?P<slug>[^/#?]{1,300})/?"),
        selectors.public_article_title,
    )
)
search.KINDS.fill(search_index.ARTICLES)
parents.KINDS.fill(attachment_parent.PARENT)

PANELS.fill(
    ActivityPanel(
        key="knowledge-articles",
        title=_("Knowledge base"),
        template="knowledge/partials/profile_articles.html",
        context=_profile_articles,
        order=30,
    )
)
THREAD_ASIDES.fill(
    ThreadAside(
        key="knowledge", template="knowledge/partials/thread_aside.html", context=_thread_articles
    )
)
# Before the solved questions: an article is the community's settled answer.
ASKING_HINTS.fill(
    AskingHint(
        key="articles",
        heading=_("The knowledge base may already answer this"),
        links=_similar_articles,
        order=10,
    )
)
ROOM_TOOLS.fill(
    RoomTool(key="knowledge", template="knowledge/partials/chat_tool.html", shown=_promotes_chat)
)

DEMO_LOADERS.fill(DemoLoader("knowledge", demo.load, order=30))

NOTIFICATION_KINDS.fill(NotificationKind("knowledge.review_due", _("Articles due for review")))
# Daily at 08:00: whoever vouches for an article hears when it is due for review again.
SCHEDULE.fill(
    PeriodicJob.daily("knowledge.review_reminders", tasks.review_reminders, at=datetime.time(8))
)
