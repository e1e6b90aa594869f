from django.core.management.base import BaseCommand

from community import markup


class Command(BaseCommand):
    help = "Re-render stored user markup cooked by an older version of community.markup."

    def handle(self, *args, **options) -> None:
        for field in markup.COOKED_FIELDS:
            count = markup.rerender_stale(field)
            self.stdout.write(f"{field.key}: {count} re-rendered")
