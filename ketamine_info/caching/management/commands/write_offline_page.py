from pathlib import Path

from django.core.management.base import BaseCommand
from django.template import loader


class Command(BaseCommand):
    help = (
        "Write the 503 page (templates/503.html, with the crisis numbers) to a file, for the "
        "reverse proxy to serve when no app server answers (deploy/varnish/site.example.vcl). "
        "Run it at each release, after collectstatic."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(loader.get_template("503.html").render())
        self.stdout.write(self.style.SUCCESS(f"wrote {path}"))
