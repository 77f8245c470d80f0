from django.core.management.base import BaseCommand

from ketamine_info.pages.cache import bump_generation


class Command(BaseCommand):
    help = (
        "Make every page in the page cache stale, on every app server sharing the cache. Edits "
        "in the admin, load_content and migrate do this themselves; run it after restoring a "
        "database backup, or once every app server runs a new release."
    )

    def handle(self, *args, **options):
        bump_generation()
        self.stdout.write(self.style.SUCCESS("page cache emptied"))
