from django.core.management.base import BaseCommand

from ketamine_info.editorial.notifications import notify_reviewers


class Command(BaseCommand):
    help = (
        "Email reviewers what waits for their review (at most one email per reviewer per hour). "
        "Safe to run as often as you like; run it every 10 minutes from cron."
    )

    def handle(self, *args, **options):
        sent = notify_reviewers()
        self.stdout.write(f"{sent} email(s) sent.")
