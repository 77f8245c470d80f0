from django.core.management.base import BaseCommand

from ketamine_info.scheduling.runner import run_due


class Command(BaseCommand):
    help = (
        "Publish, or take down, what reviewers scheduled for now or earlier. Safe to run every "
        "minute: each schedule is carried out once."
    )

    def handle(self, *args, **options):
        for line in run_due():
            self.stdout.write(line)
