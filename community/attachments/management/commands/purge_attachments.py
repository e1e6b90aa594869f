from django.core.management.base import BaseCommand

from community.attachments.services import attachments_purge


class Command(BaseCommand):
    help = (
        "Remove files never attached to anything after ATTACHMENT_ORPHAN_HOURS, and "
        "files of deleted posts after ATTACHMENT_DELETED_DAYS. Run it hourly from cron."
    )

    def handle(self, *args, **options) -> None:
        orphans, deleted = attachments_purge()
        self.stdout.write(f"Removed {orphans} unattached and {deleted} deleted files.")
