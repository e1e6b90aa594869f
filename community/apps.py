from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Nastavnik"

    def ready(self) -> None:
        from community import checks  # noqa: F401  (registers system checks)
        from community.slots import discover_plugins

        # Every app fills the slots below it in its plugins module (community/slots.py).
        discover_plugins()
