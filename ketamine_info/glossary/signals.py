"""When a term is added, renamed or removed, pages that link terms are re-rendered."""

from django.db.models.signals import post_delete, post_save

from ketamine_info.citations.rerender import rerender_stored_html

from .models import Term


def relink_pages(sender=None, raw=False, **kwargs) -> int:
    """Re-render the stored HTML of every page that links glossary terms; returns how many
    changed. Only what is rendered from the body is written, with ``update()``: no save
    signals, no change to the page's ``updated`` time (its text is the same), no recursion."""
    if raw:
        return 0
    return rerender_stored_html(only_glossary_linking=True)


def connect() -> None:
    post_save.connect(relink_pages, sender=Term, dispatch_uid="glossary-relink-save")
    post_delete.connect(relink_pages, sender=Term, dispatch_uid="glossary-relink-delete")
