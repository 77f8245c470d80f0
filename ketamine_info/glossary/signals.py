"""When a term is added, renamed or removed, pages that link terms are re-rendered."""

from django.db.models.signals import post_delete, post_save

from ketamine_info.citations.integrity import citing_models

from .models import Term


def relink_pages(sender=None, raw=False, **kwargs) -> int:
    """Re-render the stored HTML of every page that links glossary terms; returns how many
    changed. Only ``body_html`` is written, with ``update()``: no save signals, no change to
    the page's ``updated`` time (its text is the same) and no recursion."""
    if raw:
        return 0
    glossary = Term.objects.link_targets()
    changed = 0
    for model in citing_models():
        if not model.links_glossary_terms:
            continue
        for item in model._default_manager.all():
            html = item.render_body(glossary=glossary).html
            if html != item.body_html:
                model._default_manager.filter(pk=item.pk).update(body_html=html)
                changed += 1
    return changed


def connect() -> None:
    post_save.connect(relink_pages, sender=Term, dispatch_uid="glossary-relink-save")
    post_delete.connect(relink_pages, sender=Term, dispatch_uid="glossary-relink-delete")
