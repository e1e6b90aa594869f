"""Everything chat plugs into the floors below it (community/slots.py)."""

from django.utils.translation import gettext_lazy as _

from chat import attachment_parent, demo, realtime, search_index, services
from chat.models import Message
from community import markup, search
from community.attachments import parents
from community.notifications.registry import KINDS as NOTIFICATION_KINDS
from community.notifications.registry import NotificationKind
from community.realtime.registry import FRAME_HANDLERS, GROUP_GUARDS, FrameHandler, GroupGuard
from profiles.activity import BUTTONS, ProfileButton
from profiles.seeding import DEMO_LOADERS, DemoLoader

markup.COOKED_FIELDS.fill(
    markup.CookedField(Message, source="body", html="body_html", version="body_markup_version")
)
search.KINDS.fill(search_index.MESSAGES)
parents.KINDS.fill(attachment_parent.PARENT)

for frame_type, handle in [
    ("subscribe", realtime.subscribe),
    ("send", realtime.send),
    ("edit", realtime.edit),
    ("delete", realtime.delete),
    ("react", realtime.react),
    ("read", realtime.read),
    ("typing", realtime.typing),
    ("presence", realtime.presence),
]:
    FRAME_HANDLERS.fill(FrameHandler(frame_type, handle))

GROUP_GUARDS.fill(GroupGuard(services.ROOM_GROUP_PREFIX, realtime.still_reads_room))

NOTIFICATION_KINDS.fill(NotificationKind("chat.mention", _("Mentions of you in chat")))

BUTTONS.fill(
    ProfileButton(
        key="chat.direct",
        label=_("Send a message"),
        url_name="chat:direct",
        shown=lambda member, viewer: member.pk != viewer.pk and member.is_active,
    )
)

DEMO_LOADERS.fill(DemoLoader("chat", demo.load, order=20))
