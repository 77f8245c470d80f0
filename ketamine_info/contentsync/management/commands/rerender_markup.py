from django.core.management.base import BaseCommand

from ketamine_info.citations.rerender import rerender_stored_html
from ketamine_info.publishing import announce_public_change


class Command(BaseCommand):
    help = (
        "Render every stored Markdown body again. Run it after a change to the renderer "
        "(ketamine_info/markup.py) so the stored HTML follows; it changes no text."
    )

    def handle(self, *args, **options):
        changed = rerender_stored_html()
        if changed:
            announce_public_change(None)  # what every page shows was rendered again
        self.stdout.write(self.style.SUCCESS(f"re-rendered {changed} item(s)"))
