from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from ketamine_info.contentsync.sync import export


class Command(BaseCommand):
    help = "Write the database's content back out as files, in the format load_content reads."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", nargs="?", default=None, help="Target folder (default: CONTENT_DIR)."
        )

    def handle(self, *args, **options):
        directory = Path(options["directory"] or settings.CONTENT_DIR)
        report = export(directory)
        for label in report.written:
            self.stdout.write(f"wrote     {label}")
        for label in report.removed:
            self.stdout.write(f"removed   {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"wrote {len(report.written)}, unchanged {len(report.unchanged)}, "
                f"removed {len(report.removed)} in {directory}"
            )
        )
