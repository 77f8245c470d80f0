from django.core.management.base import BaseCommand

from ketamine_info.search import documents


class Command(BaseCommand):
    help = "Rebuild the site search index from the published content."

    def handle(self, *args, **options):
        count = documents.rebuild()
        self.stdout.write(f"indexed {count} documents")
