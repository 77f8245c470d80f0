from django.core.management.base import BaseCommand

from ketamine_info.citations.integrity import citing_models
from ketamine_info.pages.cache import bump_generation


class Command(BaseCommand):
    help = (
        "Render every stored Markdown body again. Run it after a change to the renderer "
        "(ketamine_info/markup.py) so the stored HTML follows; it changes no text."
    )

    def handle(self, *args, **options):
        changed = 0
        for model in citing_models():
            for item in model._default_manager.all():
                rendered = item.render_body()
                if rendered.html != item.body_html or rendered.claim_keys != item.claim_keys:
                    # update(), not save(): the text is unchanged, so no new revision or
                    # "updated" time should appear.
                    model._default_manager.filter(pk=item.pk).update(
                        body_html=rendered.html, claim_keys=rendered.claim_keys
                    )
                    changed += 1
        if changed:
            bump_generation()  # update() sends no signal: the cached pages go here
        self.stdout.write(self.style.SUCCESS(f"re-rendered {changed} item(s)"))
