"""Changes to live content wait for a clinical reviewer.

Modelled on Wagtail's pages, which keep a live revision and a latest revision, "publish" making
a revision live: here the live record is the live revision, a ``PendingChange`` is the latest
one, and publishing applies it, which saves the record and so adds an ordinary
django-simple-history revision. Every way in uses these functions: the admin's forms, list-view
editing, revert and bulk actions (``admin.ReviewedAdmin``) and ``load_content``.

Which kinds are reviewed, which fields patients never see and which pages show an item, each
app declares once in its ``content.py`` (``ketamine_info/registry.py`` finds them). What is
live: a published article or FAQ answer; every other stored row of a reviewed kind, since it
has no draft state: every source and claim (the source pages list them all), glossary term,
figure, stand-alone page, decision aid, clinic contact block (switched off, it is one tick from
patients), search synonym and best bet (they change which pages a search finds, and in what
order). So a new one of these waits for review too.

A model whose review covers related rows (a contact block's opening hours and articles) names
them in ``REVIEW_RELATED`` and provides ``review_related()`` (their values, as JSON) and
``apply_review_related(values)``; one that shows on pages its kind does not name lists them in
``public_pages()`` as (title, url) pairs.
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

from ketamine_info import registry
from ketamine_info.publishing import (
    CONFIRMATION_MISSING,
    WORKFLOW_FIELDS,
    ReviewStamp,
    announce_public_change,
)

from .models import PendingChange, ReviewerProfile
from .steps import one_step

# The note of a change its editor took back by saving the live text again.
WITHDRAWN = "Withdrawn: the text is the live text again."
BOOKKEEPING = {"id", "version", "created", "updated", "body_html", "claim_keys"}
CITATIONS = "citations"


def is_reviewed(model) -> bool:
    """Whether a change to ``model`` waits for a clinical reviewer (its kind says so)."""
    kind = registry.kind_of(model)
    return kind is not None and kind.reviewed


def public_once_stored(model) -> bool:
    """A reviewed kind with no draft state: a new item is public as soon as it exists, so even
    a new one waits for review."""
    kind = registry.kind_of(model)
    return kind is not None and kind.reviewed and not kind.has_drafts


def staff_only(model) -> set[str]:
    """Fields shown on no public page: changed at once, without review."""
    kind = registry.kind_of(model)
    return set(kind.staff_only) if kind is not None else set()


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
    """The proposed public values that differ from the live record (a new item: all of them,
    its staff-only fields too, which are kept with it)."""
    if live is None:
        return {name: _normal(value) for name, value in proposed.items()}
    current = snapshot(live)
    hidden = staff_only(model)
    return {
        name: _normal(value)
        for name, value in proposed.items()
        if name not in hidden and _normal(value) != _normal(current.get(name))
    }


def goes_to_review(model, stored) -> bool:
    """Whether saving a change to ``stored`` (None: a new item) must wait for review."""
    if not is_reviewed(model):
        return False
    if stored is None:
        return public_once_stored(model)
    return stored.is_live()


def open_new_change(model, key: str) -> PendingChange | None:
    """The open change proposing a new ``model`` item under ``key`` (its file name, its
    address), if one waits for review."""
    kind = registry.kind_of(model)
    if kind is None or not key:
        return None
    for change in PendingChange.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=None,
        state=PendingChange.State.OPEN,
    ):
        if change.values.get(kind.key_field) == key:
            return change
    return None


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
        else:
            # The same new item proposed again (a content file loaded twice): one change.
            kind = registry.kind_of(model)
            current = open_new_change(model, values.get(kind.key_field) if kind else "")
            if current is not None and current.values == values and current.author == author:
                current.already_waiting = True
                return current
        if live is not None:
            # Sent again, or set aside for the live text: what came back is no longer a draft.
            returned_changes(model, live.pk).update(set_aside=timezone.now())
        if not values:
            if current is not None:  # edited back to the live text: nothing left to review
                current.state = PendingChange.State.REJECTED
                current.note = WITHDRAWN
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


def returned_changes(model, object_id):
    """Changes to one item a reviewer sent back that are still their editor's draft."""
    return PendingChange.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=object_id,
        state=PendingChange.State.REJECTED,
        set_aside__isnull=True,
    ).exclude(note=WITHDRAWN)


def returned_change(obj) -> PendingChange | None:
    """The latest change to ``obj`` sent back to its editor, while no later one is waiting:
    the form shows its words, so nothing typed is lost."""
    if obj is None or obj.pk is None:
        return None
    return (
        returned_changes(type(obj), obj.pk)
        .select_related("decided_by", "author")
        .order_by("-decided", "-pk")
        .first()
    )


def returned_to(user):
    """What reviewers sent back to ``user`` that they have not sent again or set aside."""
    return (
        PendingChange.objects.filter(
            author=user, state=PendingChange.State.REJECTED, set_aside__isnull=True
        )
        .exclude(note=WITHDRAWN)
        .select_related("content_type", "decided_by")
        .order_by("-decided")
    )


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


# A claim's citation of a source that is itself waiting for review names it by its key; the
# source must be published first.
WAITING_SOURCE = "source_key"


def _source_id(entry: dict):
    if entry.get("source") is not None:
        return entry["source"]
    Source = apps.get_model("citations", "Source")
    return Source.objects.filter(key=entry.get(WAITING_SOURCE)).values_list("pk", flat=True).first()


def unpublished_sources(change: PendingChange) -> list[str]:
    """The keys of the sources a claim's change cites that are not published yet."""
    return [
        entry.get(WAITING_SOURCE, "")
        for entry in change.values.get(CITATIONS) or []
        if _source_id(entry) is None
    ]


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
        if citations is not None and not citations and live is not None and live.is_cited_live():
            raise ValidationError(
                "This claim is cited by live pages and must keep at least one citation."
            )
    if before_save is not None:
        before_save(obj)
    obj._change_reason = reason[:100]
    # The item and its related rows are one step: what they change is rendered again once.
    with one_step():
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
            source_id=_source_id(entry),
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
    waiting = unpublished_sources(change)
    if waiting:
        raise ValidationError(
            "The claim cites sources that are waiting for review: "
            + ", ".join(waiting)
            + ". Publish them first, or send the change back."
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


def affected_pages(obj) -> list[Affected]:
    """The public pages that show ``obj`` (an unsaved proposal included), name and address, as
    its kind declares them (``ContentKind.pages_showing``)."""
    kind = registry.kind_of(type(obj))
    found = [Affected(title, url) for title, url in kind.pages_showing(obj)] if kind else []
    unique: dict[str, Affected] = {}
    for entry in found:
        unique.setdefault(entry.url, entry)
    return list(unique.values())


def admin_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def publish_page_url(obj) -> str:
    ct = ContentType.objects.get_for_model(type(obj))
    return reverse("admin:review_publish") + f"?ct={ct.pk}&ids={obj.pk}"
