from django.core.management.base import BaseCommand

from ketamine_info.caching.page_cache import bump_generation
from ketamine_info.citations.rerender import rerender_stored_html


class Command(BaseCommand):
    help = (
        "Render every stored Markdown body again. Run it after a change to the renderer "
        "(ketamine_info/markup.py) so the stored HTML follows; it changes no text."
    )

    def handle(self, *args, **options):
        changed = rerender_stored_html()
        if changed:
            bump_generation()  # update() sends no signal: the cached pages go here
        self.stdout.write(self.style.SUCCESS(f"re-rendered {changed} item(s)"))
