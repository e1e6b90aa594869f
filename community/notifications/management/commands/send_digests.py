from django.core.management.base import BaseCommand

from community.notifications import services


class Command(BaseCommand):
    help = (
        "Email each member who chose the daily digest their unread notifications of the "
        "last 24 hours that have not been emailed yet. Run it once a day from cron, e.g. "
        "'0 8 * * * manage.py send_digests'; running it twice sends nothing new."
    )

    def handle(self, *args, **options) -> None:
        sent = services.digest_send()
        self.stdout.write(f"Sent {sent} digest email(s).")
