from django.core.management.base import BaseCommand

from ketamine_info.caching.invalidation import invalidate


class Command(BaseCommand):
    help = (
        "Make every page in the page cache stale, on every app server sharing the cache. Edits "
        "in the admin, load_content and migrate do this themselves; run it after restoring a "
        "database backup, or once every app server runs a new release."
    )

    def handle(self, *args, **options):
        # The reverse proxies in PURGE_URLS too; what fails is owed, and replayed.
        if invalidate():
            self.stdout.write(self.style.SUCCESS("page cache emptied"))
        else:
            self.stdout.write(self.style.WARNING("not all done: it will be replayed"))
