"""Everything the forum plugs into the floors below it (community/slots.py)."""

import re

from django.utils.translation import gettext_lazy as _

from community import markup, search
from community.attachments import parents
from community.notifications.registry import KINDS as NOTIFICATION_KINDS
from community.notifications.registry import NotificationKind
from community.realtime.registry import FRAME_HANDLERS, GROUP_GUARDS, FrameHandler, GroupGuard
from forum import attachment_parent, demo, profile_panels, realtime, search_index, selectors
from forum.models import Post
from forum.services import THREAD_GROUP_PREFIX
from profiles.activity import PANELS, ActivityPanel
from profiles.seeding import DEMO_LOADERS, DemoLoader

markup.COOKED_FIELDS.fill(
    markup.CookedField(Post, source="body", html="body_html", version="body_markup_version")
)
markup.LINK_TITLERS.fill(
    markup.LinkTitler(
        "forum.thread",
        re.compile(r"/forum/t/(?P<pk>\d{1,18})(?:/[^/#?]*)?/?(?:#post-(?P<number>\d{1,9}))?"),
        selectors.public_thread_title,
    )
)

search.KINDS.fill(search_index.THREADS)
search.KINDS.fill(search_index.POSTS)
search.FACETS.fill(search_index.CATEGORY_FACET)
parents.KINDS.fill(attachment_parent.PARENT)

FRAME_HANDLERS.fill(FrameHandler("forum.subscribe", realtime.subscribe))
FRAME_HANDLERS.fill(FrameHandler("forum.unsubscribe", realtime.unsubscribe))
GROUP_GUARDS.fill(GroupGuard(THREAD_GROUP_PREFIX, realtime.still_reads_thread))

for key, label in [
    ("forum.reply", _("Replies to your posts")),
    ("forum.mention", _("Mentions of you")),
    ("forum.accepted", _("Your answers accepted")),
    ("forum.new_thread", _("New threads in watched categories")),
    ("forum.watched_reply", _("New replies in watched threads")),
]:
    NOTIFICATION_KINDS.fill(NotificationKind(key, label))

PANELS.fill(
    ActivityPanel(
        key="forum-threads",
        title=_("Threads"),
        template="forum/partials/profile_threads.html",
        context=profile_panels.threads,
        order=10,
    )
)
PANELS.fill(
    ActivityPanel(
        key="forum-answers",
        title=_("Accepted answers"),
        template="forum/partials/profile_threads.html",
        context=profile_panels.answers,
        order=20,
    )
)

DEMO_LOADERS.fill(DemoLoader("forum", demo.load, order=10))
