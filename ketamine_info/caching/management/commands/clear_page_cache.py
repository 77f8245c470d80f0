from django.core.management.base import BaseCommand

from ketamine_info.caching.page_cache import bump_generation
from ketamine_info.caching.purge import purge_proxies


class Command(BaseCommand):
    help = (
        "Make every page in the page cache stale, on every app server sharing the cache. Edits "
        "in the admin, load_content and migrate do this themselves; run it after restoring a "
        "database backup, or once every app server runs a new release."
    )

    def handle(self, *args, **options):
        bump_generation()
        purge_proxies()  # the reverse proxies in PURGE_URLS, if any
        self.stdout.write(self.style.SUCCESS("page cache emptied"))
