"""Synonym phrases and best bet keys compared without accents ("depresion" finds the synonym
written "depresión"): the stored forms are made again with today's ``phrase_key``."""

from django.db import migrations


def refold(apps, schema_editor):
    from ketamine_info.search.query import best_bet_key, phrase_key

    Synonym = apps.get_model("search", "Synonym")
    SynonymPhrase = apps.get_model("search", "SynonymPhrase")
    BestBet = apps.get_model("search", "BestBet")
    for synonym in Synonym.objects.all():
        lines = [line.strip() for line in synonym.variants.splitlines() if line.strip()]
        keys = dict.fromkeys(k for k in map(phrase_key, lines) if k)
        SynonymPhrase.objects.filter(synonym=synonym).delete()
        SynonymPhrase.objects.bulk_create(
            [SynonymPhrase(synonym=synonym, phrase=k[:100]) for k in keys]
        )
    for bet in BestBet.objects.all():
        key = best_bet_key(bet.query)
        if key != bet.query_key:
            BestBet.objects.filter(pk=bet.pk).update(query_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_documents_in_two_languages"),
    ]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
