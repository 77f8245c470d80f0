"""Stored bodies rendered again: every one after a change to the renderer (``rerender_markup``)
or to the glossary terms it links; those citing a claim whenever the claim, one of its citations
or one of their sources changes, since staff change a claim's sources without saving the pages
that cite it. It touches every app's content, found as ``citing_models()``."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete

from ketamine_info import markup
from ketamine_info.editorial.steps import after_step

from .models import (
    Citation,
    CitingContent,
    Claim,
    Source,
    citations_by_claim_key,
    citing_models,
    glossary_for,
)


def rerender(items: list[CitingContent], *, glossary: dict[str, str] | None = None) -> int:
    """Render ``items`` again with the registry as it is now and write those whose stored parts
    changed; returns how many.

    ``update()``, not ``save()``: the text is unchanged, so no revision, no new "updated" time,
    no save signals (callers that need the page cache cleared say so)."""
    if not items:
        return 0
    # Each language links its own glossary: fetched once per language.
    glossaries: dict[str, dict[str, str]] = {}
    # One query for the citations of every claim any of the items cites.
    fetched = {key for item in items for key in item.claim_keys}
    by_key = citations_by_claim_key(fetched)
    changed = 0
    for item in items:
        before = {name: getattr(item, name) for name in item.DERIVED_FIELDS}
        # A marker the stored keys missed (the renderer changed) is looked up too.
        unread = markup.marker_keys(item.body) - fetched
        if unread:
            by_key.update(citations_by_claim_key(unread))
            fetched |= unread
        terms = glossary
        if terms is None and item.links_glossary_terms:
            language = item.text_language
            if language not in glossaries:
                glossaries[language] = glossary_for(language)
            terms = glossaries[language]
        item.take_rendered(item.render_body(glossary=terms, by_key=by_key), by_key)
        after = {name: getattr(item, name) for name in item.DERIVED_FIELDS}
        if after != before:
            type(item)._base_manager.filter(pk=item.pk).update(**after)
            changed += 1
    return changed


def rerender_stored_html(*, only_glossary_linking: bool = False) -> int:
    """Render every stored body again and write what changed; returns how many items changed."""
    items = [
        item
        for model in citing_models()
        if model.links_glossary_terms or not only_glossary_linking
        for item in model._default_manager.all()
    ]
    return rerender(items)


def items_citing(claim_ids) -> list[CitingContent]:
    """Every item (drafts included) that cites one of these claims, each once."""
    claim_ids = set(claim_ids)
    if not claim_ids:
        return []
    items = {
        (model, item.pk): item
        for model in citing_models()
        for item in model._base_manager.filter(claims__in=claim_ids)
    }
    return list(items.values())


def rerender_citing(claim_ids) -> int:
    """Render again every item (drafts included) that cites one of these claims."""
    return rerender(items_citing(claim_ids))


# A claim and its citations are saved together (a publish, the admin's form): the pages citing
# them are rendered again once, when that step ends (``editorial.steps``).


def _claim_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # loaddata brings the stored HTML with the rows
        after_step(rerender_citing, instance.pk)


def _citation_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        after_step(rerender_citing, instance.claim_id)


def _source_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        claims = Citation.objects.filter(source=instance).values_list("claim", flat=True)
        after_step(rerender_citing, *claims)


def _claim_deleting(sender, instance, **kwargs) -> None:
    # Once the claim is gone, so is the relation that says which items cite it.
    instance._citing_items = items_citing([instance.pk])


def _claim_deleted(sender, instance, **kwargs) -> None:
    rerender(getattr(instance, "_citing_items", []))


def connect() -> None:
    for signal, receiver, sender in (
        (post_save, _claim_saved, Claim),
        (pre_delete, _claim_deleting, Claim),
        (post_delete, _claim_deleted, Claim),
        (post_save, _citation_changed, Citation),
        (post_delete, _citation_changed, Citation),
        (post_save, _source_saved, Source),
    ):
        signal.connect(receiver, sender=sender, dispatch_uid=f"references-{receiver.__name__}")
