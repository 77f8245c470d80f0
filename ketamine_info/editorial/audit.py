"""The audit trail: who published, reviewed, changed, proposed, sent back or deleted what, and when.

Two records make it up: each reviewed model's revision history (django-simple-history) and the
pending changes (proposed, then published or sent back). A change published through review is
one event: its pending change says who reviewed it, so the revision that publishing writes is
left out. Filtered by person, item, kind and date; a page of events is read by taking, from each
record, only as many of the newest rows as the page needs, so a long history costs no more than
a short one; the same events download as CSV.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from . import review
from .models import PendingChange

PER_PAGE = 50
CSV_MAX = 50_000
HISTORY_VERBS = {"+": "Added", "~": "Changed", "-": "Deleted"}
# The revision publishing a pending change writes (review.publish): the change is the event.
PUBLISHED_CHANGE = "Published change #"


def audited_models() -> list:
    return [m for m in apps.get_models() if review.is_reviewed(m) and hasattr(m, "history")]


def field_label(model, name: str) -> str:
    """A field as staff know it: 'SMS phone', not 'sms_phone'."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        label = name.replace("_", " ")
    else:
        # Related rows (a contact block's opening hours) are named by their model.
        label = (
            getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name_plural
        )
    label = str(label)
    return label[:1].upper() + label[1:]


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# --- filters -------------------------------------------------------------------------------


@dataclass
class Filters:
    user_id: int | None = None
    item: tuple[str, int] | None = None
    kind: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    @classmethod
    def from_query(cls, query, labels: set[str]) -> Filters:
        found = cls()
        raw_user = query.get("user", "")
        found.user_id = int(raw_user) if raw_user.isdigit() else None
        label, _, pk = query.get("item", "").partition(":")
        if label in labels and pk.isdigit():
            found.item = (label, int(pk))
        found.kind = query.get("kind", "") if query.get("kind", "") in labels else ""
        for name in ("since", "until"):
            with contextlib.suppress(ValueError):
                setattr(found, name, dt.date.fromisoformat(query.get(name, "")))
        return found

    def query(self, **extra) -> str:
        params = {
            "user": self.user_id or "",
            "item": f"{self.item[0]}:{self.item[1]}" if self.item else "",
            "kind": self.kind,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            **extra,
        }
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        def start(day):
            return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

        return (
            start(self.since) if self.since else None,
            start(self.until + dt.timedelta(days=1)) if self.until else None,
        )

    def wants(self, label: str) -> bool:
        if self.kind and self.kind != label:
            return False
        return not (self.item and self.item[0] != label)


def _in_time(queryset, field: str, filters: Filters):
    since, before = filters.bounds()
    if since:
        queryset = queryset.filter(**{f"{field}__gte": since})
    if before:
        queryset = queryset.filter(**{f"{field}__lt": before})
    return queryset


# --- the sources ---------------------------------------------------------------------------


@dataclass
class Source:
    queryset: object
    event: object  # record -> dict

    def count(self) -> int:
        return self.queryset.count()

    def newest(self, n: int) -> list[dict]:
        return [self.event(record) for record in self.queryset[:n]]


def _history_source(model, filters: Filters) -> Source:
    label = model._meta.label
    records = model.history.select_related("history_user").exclude(
        history_change_reason__startswith=PUBLISHED_CHANGE
    )
    if filters.user_id:
        records = records.filter(history_user_id=filters.user_id)
    if filters.item:
        records = records.filter(id=filters.item[1])
    records = _in_time(records, "history_date", filters).order_by("-history_date", "-pk")
    kind = str(model._meta.verbose_name).capitalize()

    def event(record) -> dict:
        reason = record.history_change_reason or ""
        verb = HISTORY_VERBS.get(record.history_type, record.history_type)
        if record.history_type != "-":
            if reason.startswith("Published"):
                verb = "Published"
            elif reason.startswith("Unpublished"):
                verb = "Unpublished"
            elif reason.startswith("Clinical review"):
                verb = "Review recorded"
        return {
            "when": record.history_date,
            "who": _name(record.history_user) or "content files / system",
            "what": verb,
            "detail": reason,
            "kind": kind,
            "item": str(record.instance),
            "item_key": f"{label}:{record.id}",
            "url": "",
        }

    return Source(records, event)


def _changes(filters: Filters):
    changes = PendingChange.objects.select_related("content_type", "author", "decided_by")
    labels = [m._meta.label for m in audited_models() if filters.wants(m._meta.label)]
    types = ContentType.objects.get_for_models(*[apps.get_model(label) for label in labels])
    changes = changes.filter(content_type__in=list(types.values()))
    if filters.item:
        changes = changes.filter(object_id=filters.item[1])
    return changes


def _change_common(change) -> dict:
    model = change.model
    return {
        "kind": str(model._meta.verbose_name).capitalize() if model else "",
        "item": change.object_repr,
        "item_key": f"{model._meta.label}:{change.object_id}" if change.object_id else "",
        "url": reverse("admin:editorial_pendingchange_change", args=[change.pk]),
    }


def _proposals(filters: Filters) -> Source:
    changes = _changes(filters)
    if filters.user_id:
        changes = changes.filter(author_id=filters.user_id)
    changes = _in_time(changes, "created", filters).order_by("-created", "-pk")

    def event(change) -> dict:
        model = change.model
        fields = ", ".join(field_label(model, name) for name in change.values) if model else ""
        return {
            **_change_common(change),
            "when": change.created,
            "who": change.author_name,
            "what": "Pending change",
            "detail": f"Change #{change.pk} proposed: {fields}",
        }

    return Source(changes, event)


def _decisions(filters: Filters) -> Source:
    changes = _changes(filters).filter(decided__isnull=False)
    if filters.user_id:
        changes = changes.filter(decided_by_id=filters.user_id)
    changes = _in_time(changes, "decided", filters).order_by("-decided", "-pk")

    def event(change) -> dict:
        if change.state == PendingChange.State.PUBLISHED:
            what = "Published after review"
            detail = f"Reviewed by {change.reviewed_as}" if change.reviewed_as else ""
        elif change.note == review.WITHDRAWN:
            what, detail = "Withdrawn", change.note
        else:
            what, detail = "Sent back", change.note
        return {
            **_change_common(change),
            "when": change.decided,
            "who": _name(change.decided_by),
            "what": what,
            "detail": detail,
        }

    return Source(changes, event)


def sources(filters: Filters) -> list[Source]:
    found = [
        _history_source(model, filters)
        for model in audited_models()
        if filters.wants(model._meta.label)
    ]
    return [*found, _proposals(filters), _decisions(filters)]


def events(filters: Filters, *, offset: int, limit: int) -> tuple[list[dict], int]:
    """Events ``offset`` to ``offset + limit``, newest first, and how many match in all."""
    every = sources(filters)
    total = sum(source.count() for source in every)
    merged = [event for source in every for event in source.newest(offset + limit)]
    merged.sort(key=lambda e: e["when"], reverse=True)
    return merged[offset : offset + limit], total


# --- the screen and the download -----------------------------------------------------------


def audit_list(request, site):
    if not request.user.has_perm("editorial.view_pendingchange"):
        raise PermissionDenied
    models = audited_models()
    filters = Filters.from_query(request.GET, {m._meta.label for m in models})
    if request.GET.get("format") == "csv":
        return csv_download(filters)
    page_number = request.GET.get("page", "1")
    page_number = int(page_number) if page_number.isdigit() and int(page_number) > 0 else 1
    rows, total = events(filters, offset=(page_number - 1) * PER_PAGE, limit=PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    item_name = ""
    if filters.item:
        item_name = next((row["item"] for row in rows), "") or filters.query()
    context = {
        **site.each_context(request),
        "title": "Audit trail",
        "events": rows,
        "total": total,
        "page_number": page_number,
        "pages": pages,
        "previous_query": filters.query(page=page_number - 1) if page_number > 1 else None,
        "next_query": filters.query(page=page_number + 1) if page_number < pages else None,
        "csv_query": filters.query(format="csv"),
        "filters": filters,
        "filter_query": filters.query(),
        "item_name": item_name,
        "item_key": f"{filters.item[0]}:{filters.item[1]}" if filters.item else "",
        "people": get_user_model().objects.filter(is_staff=True).order_by("username"),
        "kinds": sorted(
            ((m._meta.label, str(m._meta.verbose_name_plural).capitalize()) for m in models),
            key=lambda pair: pair[1],
        ),
    }
    return render(request, "editorial/audit.html", context)


def _cell(value) -> str:
    text = str(value)
    # A spreadsheet would run a cell starting with one of these as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


def csv_download(filters: Filters) -> StreamingHttpResponse:
    rows, _ = events(filters, offset=0, limit=CSV_MAX)
    writer = csv.writer(_Echo())
    header = ["When (UTC)", "Who", "What", "Kind", "Item", "Details"]

    def lines():
        yield writer.writerow(header)
        for e in rows:
            when = e["when"].astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
            yield writer.writerow(
                [_cell(v) for v in (when, e["who"], e["what"], e["kind"], e["item"], e["detail"])]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
