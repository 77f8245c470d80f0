"""Every save or delete of an indexed item (documents.INDEXED) updates the search index."""

from django.db.models.signals import post_delete, post_save

from . import documents


def _saved(sender, instance, raw=False, **kwargs):
    # loaddata saves "raw": the fixture brings its own index rows (or rebuild_search_index).
    if not raw:
        documents.index(instance)


def _deleted(sender, instance, **kwargs):
    documents.unindex(instance)


def connect() -> None:
    for entry in documents.INDEXED:
        uid = f"search-{entry.kind}"
        post_save.connect(_saved, sender=entry.model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_deleted, sender=entry.model, dispatch_uid=f"{uid}-delete")
