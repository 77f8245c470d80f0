from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ketamine_info.contentsync.sync import ContentErrors, load


class Command(BaseCommand):
    help = "Load content/ (articles, sources, claims, …) into the database, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", nargs="?", default=None, help="Content folder (default: CONTENT_DIR)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite records that staff changed in the admin since the last load.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish straight from the files, without a clinical review: changes to live "
            "pages go live at once and pages marked published are published. Recorded in the "
            "revision history as published by the operator. Without it, changes to live "
            "content wait for a reviewer, like an editor's edit.",
        )

    def handle(self, *args, **options):
        directory = Path(options["directory"] or settings.CONTENT_DIR)
        try:
            report = load(directory, force=options["force"], publish=options["publish"])
        except ContentErrors as exc:
            raise CommandError(
                f"Nothing was loaded: {len(exc.errors)} problem(s) in {directory}\n{exc}"
            ) from exc
        for label in report.created:
            self.stdout.write(f"created   {label}")
        for label in report.updated:
            self.stdout.write(f"updated   {label}")
        for label in report.pending:
            self.stdout.write(f"for review {label} (a reviewer publishes it in the admin)")
        for label in report.skipped:
            self.stdout.write(self.style.WARNING(f"skipped   {label}"))
        if report.skipped:
            self.stdout.write("Use --force to overwrite the records skipped above.")
        summary = report.summary()
        if not report.changed:
            summary += ": nothing to change"
        self.stdout.write(self.style.SUCCESS(summary))
