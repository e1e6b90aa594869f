from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = _("Chat")

    def ready(self) -> None:
        from chat import realtime, search_index  # noqa: F401  (realtime registers frames)
        from chat.models import Message
        from community import markup

        markup.register_cooked_field(Message, source="body", html="body_html",
                                     version="body_markup_version")
        from community.notifications.registry import register_kind
        from profiles.activity import ProfileButton, register_profile_button

        register_kind("chat.mention", _("Mentions of you in chat"))
        search_index.register()
        from chat import attachment_parent

        attachment_parent.register()
        register_profile_button(ProfileButton(
            key="chat.direct", label=_("Send a message"), url_name="chat:direct",
            shown=lambda member, viewer: member.pk != viewer.pk and member.is_active))
        from chat import demo
        from profiles.seeding import register_demo_loader

        register_demo_loader(demo.load, order=20)
