"""Every stored body rendered again: after a change to the renderer (``rerender_markup``) or to
the glossary terms it links. It touches every app's content, found as ``citing_models()``."""

from __future__ import annotations

from django.apps import apps

from .models import citing_models
from .references import citations_by_claim_key, number_by_source


def rerender_stored_html(*, only_glossary_linking: bool = False) -> int:
    """Render every stored body again, number its references again, and write what changed;
    returns how many items changed.

    ``update()``, not ``save()``: the text is unchanged, so no revision, no new "updated" time,
    no save signals (callers that need the page cache cleared say so)."""
    glossary = apps.get_model("glossary", "Term").objects.link_targets()  # by label
    items = [
        item
        for model in citing_models()
        if model.links_glossary_terms or not only_glossary_linking
        for item in model._default_manager.all()
    ]
    fetched = {key for item in items for key in item.claim_keys}
    by_key = citations_by_claim_key(fetched)
    changed = 0
    for item in items:
        before = {name: getattr(item, name) for name in item.DERIVED_FIELDS}
        item.take_rendered(item.render_body(glossary=glossary))
        new_keys = set(item.claim_keys) - fetched  # the renderer now reads a marker it missed
        if new_keys:
            by_key.update(citations_by_claim_key(new_keys))
            fetched |= new_keys
        number_by_source([item], by_key)
        after = {name: getattr(item, name) for name in item.DERIVED_FIELDS}
        if after != before:
            type(item)._default_manager.filter(pk=item.pk).update(**after)
            changed += 1
    return changed
