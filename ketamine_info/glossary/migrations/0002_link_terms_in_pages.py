"""Re-render stored article and FAQ HTML once, so pages saved before glossary linking existed
link the first use of each term (from now on, saving a page or a term does it)."""

from django.db import migrations
from django.urls import reverse

from ketamine_info import markup


def link_terms(apps, schema_editor):
    Term = apps.get_model("glossary", "Term")
    terms = {}
    for term in Term.objects.all():
        href = reverse("glossary:list") + f"#{term.slug}"
        aliases = [line.strip() for line in term.aliases.splitlines() if line.strip()]
        for phrase in [term.term, *aliases]:
            terms.setdefault(phrase, href)
    if not terms:
        return
    pages = [
        (apps.get_model("articles", "Article"), lambda item: ""),
        (apps.get_model("faqs", "Question"), lambda item: f"{item.slug}-"),
    ]
    for model, prefix in pages:
        for item in model.objects.all():
            html = markup.render(item.body, id_prefix=prefix(item), terms=terms).html
            if html != item.body_html:
                model.objects.filter(pk=item.pk).update(body_html=html)


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0001_initial"),
        ("articles", "0002_slugredirect"),
        ("faqs", "0001_initial"),
    ]

    operations = [migrations.RunPython(link_terms, migrations.RunPython.noop)]
