from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    label = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        from mentoring import demo, extensions, home_panels
        from profiles.seeding import register_demo_loader

        extensions.register()
        home_panels.register()
        register_demo_loader(demo.load, order=40)
