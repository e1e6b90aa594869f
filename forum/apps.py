from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")

    def ready(self) -> None:
        from community import markup
        from forum import (
            attachment_parent,
            home_panels,
            profile_panels,
            realtime,  # noqa: F401  (registers the forum's frame handlers)
            search_index,
            selectors,
        )
        from forum.models import Post

        markup.register_cooked_field(Post, source="body", html="body_html",
                                     version="body_markup_version")
        markup.register_link_titler(
            r"/forum/t/(?P<pk>\d{1,18})(?:/[^/#?]*)?/?(?:#post-(?P<number>\d{1,9}))?",
            selectors.public_thread_title)
        profile_panels.register()
        home_panels.register()
        attachment_parent.register()
        search_index.register()
        from forum import demo
        from profiles.seeding import register_demo_loader

        register_demo_loader(demo.load, order=10)
        self._register_notification_kinds()

    def _register_notification_kinds(self) -> None:
        from community.notifications.registry import register_kind

        register_kind("forum.reply", _("Replies to your posts"))
        register_kind("forum.mention", _("Mentions of you"))
        register_kind("forum.accepted", _("Your answers accepted"))
        register_kind("forum.new_thread", _("New threads in watched categories"))
        register_kind("forum.watched_reply", _("New replies in watched threads"))
