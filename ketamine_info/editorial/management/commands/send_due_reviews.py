from django.core.management.base import BaseCommand

from ketamine_info.editorial.notifications import send_due_reviews


class Command(BaseCommand):
    help = (
        "Email each reviewer the pages whose clinical review is overdue or due within 30 days. "
        "Run it once a week; a second run in the same week sends nothing (unless --force)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Send even if sent this week.")

    def handle(self, *args, **options):
        sent = send_due_reviews(force=options["force"])
        self.stdout.write(f"{sent} email(s) sent.")
