"""Changes to live content wait for a clinical reviewer.

Modelled on Wagtail's pages, which keep a live revision and a latest revision, "publish" making
a revision live: here the live record is the live revision, a ``PendingChange`` is the latest
one, and publishing applies it, which saves the record and so adds an ordinary
django-simple-history revision. Every way in uses these functions: the admin's forms, list-view
editing, revert and bulk actions (``admin.ReviewedAdmin``) and ``load_content``.

What is live: a published article or FAQ answer; a claim that a live page cites; a source that
a live claim cites; every glossary term, figure and stand-alone page (they have no draft state);
every clinic contact block (switched off, it is one tick from patients); every search synonym and
best bet (they change which pages a search finds, and in what order).

A model whose review covers related rows (a contact block's opening hours and articles) names
them in ``REVIEW_RELATED`` and provides ``review_related()`` (their values, as JSON) and
``apply_review_related(values)``; one that shows on pages this module cannot work out lists them
in ``public_pages()`` as (title, url) pairs.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ketamine_info.publishing import (
    CONFIRMATION_MISSING,
    WORKFLOW_FIELDS,
    ReviewStamp,
    announce_public_change,
)

from .models import PendingChange, ReviewerProfile

# Public as soon as they exist: even a new one waits for review.
ALWAYS_PUBLIC = (
    "glossary.Term",
    "figures.Figure",
    "pages.Page",
    "decisions.Comparison",
    "clinics.ContactBlock",
    "search.Synonym",
    "search.BestBet",
)
# Every kind of content a change to which waits for a clinical reviewer: the above, and content
# with drafts of its own (or, for the registry, public once a live page cites it).
REVIEWED_MODELS = (
    "articles.Article",
    "faqs.Question",
    "citations.Claim",
    "citations.Source",
    *ALWAYS_PUBLIC,
)
# Shown on no public page: changed at once, without review.
STAFF_ONLY_FIELDS = {"citations.Source": {"staff_notes"}}
BOOKKEEPING = {"id", "version", "created", "updated", "body_html", "claim_keys"}
CITATIONS = "citations"


def is_reviewed(model) -> bool:
    return model._meta.label in REVIEWED_MODELS


def staff_only(model) -> set[str]:
    return STAFF_ONLY_FIELDS.get(model._meta.label, set())


def content_fields(model) -> list:
    """The fields a change may propose: everything staff edit except the workflow."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and f.name not in BOOKKEEPING and f.name not in WORKFLOW_FIELDS
    ]


def _json(field, value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return field.get_prep_value(value)  # a value object (a phone number) as it is stored


def snapshot(obj) -> dict:
    """The content of ``obj`` as JSON values: what a pending change holds and compares."""
    data = {f.name: _json(f, f.value_from_object(obj)) for f in content_fields(type(obj))}
    if obj._meta.label == "citations.Claim" and obj.pk is not None:
        data[CITATIONS] = [
            {"source": c.source_id, "locator": c.locator, "excerpt": c.excerpt}
            for c in obj.citations.order_by("position", "id")
        ]
    if hasattr(obj, "review_related") and obj.pk is not None:
        data.update(obj.review_related())
    return data


def _normal(value):
    # Browsers send textareas with CRLF; the models store LF.
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def changed_values(model, live, proposed: dict) -> dict:
    """The proposed public values that differ from the live record."""
    current = snapshot(live) if live is not None else {}
    hidden = staff_only(model)
    return {
        name: _normal(value)
        for name, value in proposed.items()
        if name not in hidden and (live is None or _normal(value) != _normal(current.get(name)))
    }


def goes_to_review(model, stored) -> bool:
    """Whether saving a change to ``stored`` (None: a new item) must wait for review."""
    if not is_reviewed(model):
        return False
    if stored is None:
        return model._meta.label in ALWAYS_PUBLIC
    return stored.is_live()


def open_change(obj) -> PendingChange | None:
    if obj is None or obj.pk is None:
        return None
    return PendingChange.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        state=PendingChange.State.OPEN,
    ).first()


def propose(model, proposed: dict, *, live=None, author=None, origin="") -> PendingChange | None:
    """Store ``proposed`` (full or partial values) as the item's open change; the live record
    is not touched. Returns None when nothing differs from the live record."""
    values = changed_values(model, live, proposed)
    with transaction.atomic():
        current = None
        if live is not None:
            current = (
                PendingChange.objects.select_for_update()
                .filter(
                    content_type=ContentType.objects.get_for_model(model),
                    object_id=live.pk,
                    state=PendingChange.State.OPEN,
                )
                .first()
            )
        if not values:
            if current is not None:  # edited back to the live text: nothing left to review
                current.state = PendingChange.State.REJECTED
                current.note = "Withdrawn: the text is the live text again."
                current.decided = timezone.now()
                current.decided_by = author
                current.save()
            return None
        if current is None:
            current = PendingChange(
                content_type=ContentType.objects.get_for_model(model),
                object_id=live.pk if live is not None else None,
            )
        current.values = values
        current.object_repr = str(live if live is not None else _unsaved(model, values))[:300]
        current.base_version = getattr(live, "version", None)
        current.author = author
        current.origin = origin
        current.save()
        return current


def _unsaved(model, values: dict):
    obj = model()
    _set_fields(obj, values)
    return obj


def _set_fields(obj, values: dict) -> None:
    related = getattr(obj, "REVIEW_RELATED", ())
    for name, value in values.items():
        if name == CITATIONS or name in related:
            continue
        field = obj._meta.get_field(name)
        setattr(obj, field.attname, field.to_python(value))


def copy_of(obj):
    """A second instance of the row ``obj`` was read as, as if read again, without a query:
    for a caller that changes one and still needs the row as stored."""
    names = [f.attname for f in obj._meta.concrete_fields]
    values = [copy.deepcopy(getattr(obj, name)) for name in names]
    return type(obj).from_db(obj._state.db, names, values)


def proposed_object(change: PendingChange, *, live=None):
    """The item as it would be after the change (unsaved). ``live``: the live record, when the
    caller has read it already (it is left as it is)."""
    obj = copy_of(live) if live is not None else (change.live_object() or change.model())
    _set_fields(obj, change.values)
    return obj


def unknown_claims(change: PendingChange, *, live=None) -> list[str]:
    obj = proposed_object(change, live=live)
    return obj.unknown_claims() if hasattr(obj, "unknown_claims") else []


def apply(change: PendingChange, *, reason: str, before_save=None, validate: bool = True):
    """Save the proposed values to the item (in the caller's transaction); returns it."""
    model = change.model
    live = change.live_object()
    if live is None and change.object_id is not None:
        raise ValidationError("This item no longer exists.")
    obj = live or model()
    _set_fields(obj, change.values)
    citations = change.values.get(CITATIONS)
    if validate:
        obj.full_clean()
        if citations is not None and not citations and (live is not None and live.is_live()):
            raise ValidationError(
                "This claim is cited by live pages and must keep at least one citation."
            )
    if before_save is not None:
        before_save(obj)
    obj._change_reason = reason[:100]
    obj.save()
    if citations is not None:
        _replace_citations(obj, citations)
    if hasattr(obj, "apply_review_related"):
        obj.apply_review_related(change.values)
    return obj


def _replace_citations(claim, citations: list[dict]) -> None:
    """The new citations first, then the old ones go: a live claim is never left with none."""
    Citation = apps.get_model("citations", "Citation")
    old = list(claim.citations.values_list("pk", flat=True))
    for position, entry in enumerate(citations):
        citation = Citation(
            claim=claim,
            source_id=entry["source"],
            locator=entry.get("locator", ""),
            excerpt=entry.get("excerpt", ""),
            position=position,
        )
        citation.full_clean()
        citation.save()
    for citation in Citation.objects.filter(pk__in=old):
        citation.delete()


# --- the reviewer's decisions -------------------------------------------------------------


def can_review(user, model=None) -> bool:
    if user.has_perm("editorial.publish_pendingchange"):
        return True
    return model is not None and hasattr(model, "can_publish") and model.can_publish(user)


def credentials_of(user) -> str:
    profile = ReviewerProfile.objects.filter(user=user).first()
    if profile:
        return profile.credentials
    return user.get_full_name() or ""


def remember_credentials(user, credentials: str) -> None:
    ReviewerProfile.objects.update_or_create(user=user, defaults={"credentials": credentials})


def check_reviewer(user, model, *, confirmed: bool, credentials: str) -> str:
    if not can_review(user, model):
        raise PermissionDenied("Only a clinical reviewer can publish a change.")
    if not confirmed:
        raise PermissionDenied(CONFIRMATION_MISSING)
    credentials = (credentials or "").strip()
    if not credentials:
        raise ValidationError(
            "Give your name and credentials as patients will see them, e.g. "
            "'Dana Lee, MD, psychiatrist'."
        )
    return credentials


def publish(
    change: PendingChange,
    reviewer,
    *,
    confirmed: bool,
    credentials: str,
    next_review_due: dt.date | None = None,
):
    """Make the change live; a clinical act, recorded with the reviewer's credentials."""
    if change.state != PendingChange.State.OPEN:
        raise PermissionDenied("This change was already decided.")
    credentials = check_reviewer(
        reviewer, change.model, confirmed=confirmed, credentials=credentials
    )
    unknown = unknown_claims(change)
    if unknown:
        raise ValidationError(
            "The text cites claims that are not in the registry: "
            + ", ".join(unknown)
            + ". Add them, or send the change back."
        )

    def stamp(obj):
        if isinstance(obj, ReviewStamp):
            obj.stamp_publication(
                reviewer,
                confirmed=confirmed,
                credentials=credentials,
                next_review_due=next_review_due,
                change_only=True,
            )

    with transaction.atomic():
        obj = apply(
            change,
            reason=f"Published change #{change.pk}, reviewed by {credentials}",
            before_save=stamp,
        )
        change.state = PendingChange.State.PUBLISHED
        change.object_id = obj.pk
        change.decided_by = reviewer
        change.decided = timezone.now()
        change.reviewed_as = credentials
        change.save()
        remember_credentials(reviewer, credentials)
        announce_public_change(change.model)
    return obj


def reject(change: PendingChange, reviewer, *, note: str) -> None:
    if change.state != PendingChange.State.OPEN:
        raise PermissionDenied("This change was already decided.")
    if not can_review(reviewer, change.model):
        raise PermissionDenied("Only a clinical reviewer can send a change back.")
    if not (note or "").strip():
        raise ValidationError("Say what needs to change: the note goes back to the editor.")
    change.state = PendingChange.State.REJECTED
    change.note = note.strip()
    change.decided_by = reviewer
    change.decided = timezone.now()
    change.save()


# --- where patients see it ----------------------------------------------------------------


@dataclass(frozen=True)
class Affected:
    title: str
    url: str


def _page_entry(page) -> Affected:
    label = page._meta.label
    if label == "figures.Figure":
        return Affected(f"Drawing “{page}”", page.placement_url())
    if label == "glossary.Term":
        return Affected(f"Glossary: “{page}”", page.get_absolute_url())
    if label == "faqs.Question":
        return Affected(f"Questions (FAQ): “{page}”", page.get_absolute_url())
    return Affected(str(page), page.get_absolute_url())


def affected_pages(obj) -> list[Affected]:
    """The public pages that show ``obj`` (an unsaved proposal included), name and address."""
    label = obj._meta.label
    found: list[Affected] = []
    Article = apps.get_model("articles", "Article")
    if label == "articles.Article":
        found.append(Affected(str(obj), obj.get_absolute_url()))
        found.append(Affected("Home page (list of articles)", reverse("home")))
    elif label == "faqs.Question":
        found.append(_page_entry(obj))
        for article in Article.objects.published().filter(topic=obj.topic):
            found.append(Affected(str(article), article.get_absolute_url()))
    elif label == "citations.Claim":
        if obj.pk:
            found.extend(_page_entry(page) for page in obj.used_on(public_only=True))
            for citation in obj.citations.select_related("source"):
                source = citation.source
                found.append(Affected(f"Source: “{source}”", source.get_absolute_url()))
    elif label == "citations.Source":
        if obj.pk:
            found.append(Affected(f"Source: “{obj}”", obj.get_absolute_url()))
            found.append(Affected("List of sources", reverse("citations:list")))
            for claim in obj.live_claims():
                found.extend(_page_entry(page) for page in claim.used_on(public_only=True))
    elif label == "glossary.Term":
        found.append(_page_entry(obj))
        found.extend(_pages_linking_term(obj))
    elif label == "figures.Figure":
        for article in obj.placed_in():
            found.append(Affected(str(article), article.get_absolute_url()))
    elif label in ("pages.Page", "decisions.Comparison"):
        found.append(Affected(str(obj), obj.get_absolute_url()))
    elif hasattr(obj, "public_pages"):
        found.extend(Affected(title, url) for title, url in obj.public_pages())
    unique: dict[str, Affected] = {}
    for entry in found:
        unique.setdefault(entry.url, entry)
    return list(unique.values())


def _pages_linking_term(term) -> list[Affected]:
    """Live pages that link the term now, or whose text uses one of its (proposed) names."""
    from django.db.models import Q

    url = term.get_absolute_url() if term.slug else None
    phrases = [term.term, *term.alias_list]
    found = []
    # Found, not imported: the content that links glossary terms builds on this app.
    for model in apps.get_models():
        if not getattr(model, "links_glossary_terms", False):
            continue
        query = Q()
        if url:
            query |= Q(body_html__contains=f'href="{url}"')
        for phrase in phrases:
            if phrase:
                query |= Q(body__icontains=phrase)
        if not query:
            continue
        for page in model._default_manager.published().filter(query):
            found.append(_page_entry(page))
    return found


def admin_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def publish_page_url(obj) -> str:
    ct = ContentType.objects.get_for_model(type(obj))
    return reverse("admin:review_publish") + f"?ct={ct.pk}&ids={obj.pk}"
