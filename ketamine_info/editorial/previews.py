"""Staff previews: a page as patients would see it, before they can.

One access rule for every preview (``refusal``): staff, active, past the second factor, with the
change permission on what is previewed. A preview is never indexed and never cached (``private``).

A change waiting for review is previewed the way Wagtail's ``serve_preview`` does it: the
proposed item is built in memory (``Proposal``, never saved: no transaction, no signal, nothing
for the page cache to clear) and handed to the public view, which shows it in place of the live
one (``proposed``, ``proposed_all``). Drafts, which have no public address, are previewed by a
subclass of the public view (``articles/previews.py``, ``faqs/previews.py``).
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.generic.detail import SingleObjectMixin

from . import review
from .two_factor import passes_second_factor


def refusal(request, model=None):
    """None when the request may preview content of ``model``; otherwise the answer: the login
    page for anyone who is not staff past the second factor. Raises 404 for staff without the
    change permission (they are not told the item exists)."""
    user = request.user
    if not (
        user.is_authenticated and user.is_active and user.is_staff and passes_second_factor(request)
    ):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if model is not None:
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            raise Http404
    return None


def private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    return response


class StaffPreviewMixin:
    """A public view's preview of a draft: only under the preview rule; never indexed or cached."""

    model: type

    def dispatch(self, request, *args, **kwargs):
        refused = refusal(request, self.model)
        if refused is not None:
            return refused
        return private(super().dispatch(request, *args, **kwargs))

    def preview_of(self, obj) -> dict:
        opts = obj._meta
        return {
            "object": obj,
            "status": obj.get_status_display(),
            "is_public": obj.is_public,
            "edit_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
        }

    def get_meta(self):
        meta = super().get_meta()
        meta.noindex = True
        return meta


def preview_url_of(obj) -> str:
    """Where staff see ``obj`` as patients would: its preview when its model has one (a draft
    has no public address), its public page otherwise."""
    get_preview_url = getattr(obj, "get_preview_url", None)
    return get_preview_url() if get_preview_url else obj.get_absolute_url()


# --- a change waiting for review, in memory ------------------------------------------------


class Proposal:
    """What patients would see once ``change`` is published, built in memory and never saved.

    The changed item itself, with its body rendered as a save would render it; and, for a claim,
    a source or a glossary term, every live page whose text shows it, rendered again with the
    proposed words (as ``rerender.py`` does once the change is published)."""

    def __init__(self, change) -> None:
        self.change = change
        # Whether the page shown took anything from the proposal: a page that did not would
        # show the live text under a preview's banner.
        self.shown = False
        self.object = review.proposed_object(change)
        self._by_identity: dict[tuple[str, object], object] = {}
        label = self.object._meta.label
        live = change.live_object()
        if label == "citations.Claim":
            if live is not None:  # a new claim is on no page yet
                self._claim_pages(live)
        elif label == "citations.Source":
            if live is not None:
                self._source_pages(live)
        elif hasattr(self.object, "take_rendered"):
            by_key = self.object.registry_for_body()
            self.object.take_rendered(self.object.render_body(by_key=by_key), by_key)
            if label == "glossary.Term":
                self._term_pages()
        self._keep(self.object)

    def _keep(self, obj) -> None:
        self._by_identity[(obj._meta.label, obj.pk)] = obj

    def replace(self, obj):
        """``obj`` as the change would leave it (itself, when the change does not touch it)."""
        if obj is None:
            return obj
        found = self._by_identity.get((obj._meta.label, obj.pk), obj)
        self.shown = self.shown or found is not obj
        return found

    def new_object(self, model):
        """The item the change adds, when it adds one of ``model``."""
        obj = self.object
        if obj.pk is None and isinstance(obj, model):
            self.shown = True
            return obj
        return None

    def _render_again(self, item, *, adjust=None, glossary=None) -> None:
        by_key = item.registry_for_body()
        if adjust is not None:
            adjust(by_key)
        item.take_rendered(item.render_body(by_key=by_key, glossary=glossary), by_key)
        self._keep(item)

    def _claim_pages(self, live) -> None:
        claim = self.object
        proposed = self.change.values.get(review.CITATIONS)
        if proposed is not None:
            Citation = apps.get_model("citations", "Citation")
            Source = apps.get_model("citations", "Source")
            sources = Source.objects.in_bulk([entry["source"] for entry in proposed])
            citations = [
                Citation(
                    claim=claim,
                    source=sources[entry["source"]],
                    locator=entry.get("locator", ""),
                    excerpt=entry.get("excerpt", ""),
                    position=position,
                )
                for position, entry in enumerate(proposed)
                if entry["source"] in sources
            ]

        def adjust(by_key) -> None:
            if proposed is not None:
                by_key[live.key] = citations
            for citation in by_key.get(live.key, []):
                citation.claim = claim

        for item in live.used_on(public_only=True):
            self._render_again(item, adjust=adjust)

    def _source_pages(self, live) -> None:
        source = self.object

        def adjust(by_key) -> None:
            for citations in by_key.values():
                for citation in citations:
                    if citation.source_id == source.pk:
                        citation.source = source

        for claim in live.live_claims():
            for item in claim.used_on(public_only=True):
                if (item._meta.label, item.pk) not in self._by_identity:
                    self._render_again(item, adjust=adjust)

    def _term_pages(self) -> None:
        term = self.object
        Term = type(term)
        # A term links in the text of its own language only.
        terms = [t for t in Term.objects.filter(language=term.language) if t.pk != term.pk]
        terms.append(term)
        glossary: dict[str, str] = {}
        for each in terms:
            for phrase in [each.term, *each.alias_list]:
                glossary.setdefault(phrase, each.get_absolute_url())
        live = self.change.live_object()
        phrases = {p.lower() for t in filter(None, [live, term]) for p in [t.term, *t.alias_list]}
        for model in apps.get_models():
            if not getattr(model, "links_glossary_terms", False):
                continue
            for item in model._default_manager.published().filter(language=term.language):
                if any(phrase and phrase in item.body.lower() for phrase in phrases):
                    self._render_again(item, glossary=glossary)


def proposed(request, obj):
    """``obj`` as the change this request previews would leave it; ``obj`` otherwise."""
    proposal = getattr(request, "proposal", None)
    return proposal.replace(obj) if proposal is not None else obj


def proposed_all(request, objects, model) -> list:
    """``objects`` as the previewed change would leave them, with the item it adds, if any."""
    proposal = getattr(request, "proposal", None)
    if proposal is None:
        return list(objects)
    found = [proposal.replace(obj) for obj in objects]
    added = proposal.new_object(model)
    return [*found, added] if added is not None else found


def object_or_proposed(view, queryset=None):
    """A ``DetailView``'s object by slug, as the previewed change would leave it; or the item
    the change adds at that address (it has no row yet)."""
    request = view.request
    try:
        return proposed(request, SingleObjectMixin.get_object(view, queryset))
    except Http404:
        proposal = getattr(request, "proposal", None)
        added = proposal.new_object(view.model or view.queryset.model) if proposal else None
        if added is not None and added.slug == view.kwargs.get(view.slug_url_kwarg):
            return added
        raise
