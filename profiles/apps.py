from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = _("People")

    def ready(self) -> None:
        from community import markup
        from profiles import search_index, selectors
        from profiles.models import MentorApplication, User

        search_index.register()
        markup.register_link_titler(r"/people/(?P<slug>[-a-z0-9]{1,80})/?",
                                    selectors.member_name_for_link)
        markup.register_cooked_field(
            User, source="bio", html="bio_html", version="bio_markup_version"
        )
        markup.register_cooked_field(
            MentorApplication,
            source="motivation",
            html="motivation_html",
            version="motivation_markup_version",
        )
