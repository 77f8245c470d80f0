"""Each kind of content patients see: where it shows, its review, and its files.

A ``ContentKind`` is the one declaration of a kind (``ketamine_info/registry.py`` finds them):
its model; the pages it appears on (its own page, the pages that list it); that a change to it
waits for a clinical reviewer; its staff-only fields; how search indexes it; and its file format
(its folder under content/, the fields its files may carry, and how to turn a file into a saved
record and a record back into file data). Apps list their kinds in ``KINDS`` in their own
``content.py``; ``load_order`` puts what is cited before what cites it (sources before the claims
that cite them, claims and glossary terms before the pages that use them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models

from ketamine_info import markup, registry
from ketamine_info.publishing import Publishable
from ketamine_info.translations import ENGLISH, Translatable

from .fileformat import (
    MAX_FIELD_CHARS,
    MAX_LIST_ITEMS,
    ContentError,
    as_date,
    dump_markdown,
    dump_yaml,
    load_markdown,
    load_yaml,
)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str = "str"  # str, int, bool, date, partial_date, str_list
    required: bool = True
    attr: str | None = None  # model attribute, when it differs from the file's field name
    # False: not a column of the model (e.g. related rows); the kind's from_db/save handle it.
    stored: bool = True

    @property
    def model_attr(self) -> str:
        return self.attr or self.name


def _check_type(spec: FieldSpec, value, path: Path):
    def wrong(expected: str):
        return ContentError(path, f"'{spec.name}' must be {expected}, not {value!r}")

    if spec.type == "str":
        if not isinstance(value, str):
            raise wrong("text")
        return _short(spec, value, path)
    if spec.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong("a whole number")
        return value
    if spec.type == "bool":
        if not isinstance(value, bool):
            raise wrong("true or false")
        return value
    if spec.type == "date":
        return as_date(value, path, spec.name)
    if spec.type == "partial_date":
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str):
            return value
        raise wrong("a date (YYYY-MM-DD) or a year")
    if spec.type == "str_list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise wrong("a list of text items")
        if len(value) > MAX_LIST_ITEMS:
            raise ContentError(path, f"'{spec.name}' has {len(value):,} items; at most "
                               f"{MAX_LIST_ITEMS:,}")  # fmt: skip
        return [_short(spec, item, path) for item in value]
    raise AssertionError(spec.type)


def _short(spec: FieldSpec, value: str, path: Path) -> str:
    if len(value) > MAX_FIELD_CHARS:
        raise ContentError(
            path, f"'{spec.name}' is {len(value):,} characters long; at most {MAX_FIELD_CHARS:,}"
        )
    return value


def _file_value(spec: FieldSpec, value):
    """The canonical file form of a model value (dates stay dates, years stay numbers)."""
    if spec.type == "partial_date":
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        if len(value) == 4:
            return int(value)
    return value


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def place_of(page) -> tuple[str, str]:
    """Where a page of any kind shows (its kind's ``place``)."""
    kind = registry.kind_of(type(page))
    return kind.place(page) if kind is not None else (str(page), page.get_absolute_url())


def validation_problem(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class ContentKind:
    model: type[models.Model]
    # What is cited loads before what cites it.
    load_order: int

    # --- what patients see of it, and its review ----------------------------------------
    # Every kind a patient can see is reviewed: a change waits for a clinical reviewer
    # (editorial/review.py). A kind without a draft state of its own (see ``has_drafts``) is
    # public as soon as a row exists, so even a new one waits.
    reviewed: bool = True
    # Fields shown on no public page: changed at once, without review.
    staff_only: frozenset[str] = frozenset()
    # Related models whose rows this kind's review covers (a claim's citations), as labels.
    covers: tuple[str, ...] = ()
    # Each public item has a page of its own at ``get_absolute_url()`` (listed in the sitemap).
    own_page: bool = False
    # The pages (URL names) that list items of this kind or show them in their references:
    # their sitemap date is the newest change to what they show.
    listed_on: tuple[str, ...] = ()
    # Search: the document kind (``search.models.Document.Kind``) and the field that is its
    # title; "" when search does not index it.
    search_kind: str = ""
    search_title: str = ""

    # --- files ---------------------------------------------------------------------------
    name: str | None  # folder under content/, and the bookkeeping kind; None: no files
    suffix: str = ".yaml"
    key_field: str = "key"
    fields: tuple[FieldSpec, ...] = ()
    has_body: bool = False  # Markdown file: front matter plus a body
    # The language of the files: English at content/<name>/; a translated kind's other
    # languages at content/<language>/<name>/ (``translated``).
    language: str = ENGLISH

    @property
    def translatable(self) -> bool:
        """Whether its items may have translations (items of their own, in other languages)."""
        return issubclass(self.model, Translatable)

    def translated(self, language: str) -> ContentKind:
        """The files of this kind's translations into ``language``."""
        cls = type(self)
        translation_cls = type(
            f"{cls.__name__}_{language}",
            (TranslationFiles, cls),
            {
                "language": language,
                "name": f"{language}/{cls.name}",
                # Right after the English it translates: a translation names its English item,
                # and translated glossary terms exist before the pages that link them.
                "load_order": cls.load_order + 0.5,
                "fields": (
                    FieldSpec("translation_of", stored=False),
                    *cls.fields,
                    FieldSpec("source_digest", required=False),
                ),
            },
        )
        return translation_cls()

    @property
    def has_drafts(self) -> bool:
        """Whether the model has a draft state: a new item is private until published."""
        return issubclass(self.model, Publishable)

    def public(self):
        """The rows patients may see now."""
        manager = self.model._default_manager
        return manager.published() if hasattr(manager, "published") else manager.all()

    def place(self, obj) -> tuple[str, str]:
        """Where ``obj`` itself shows, as a reviewer is told it: (title, address)."""
        return str(obj), obj.get_absolute_url()

    def pages_showing(self, obj) -> list[tuple[str, str]]:
        """The public pages that show ``obj`` (an unsaved proposal included), as (title,
        address): what the reviewer's screen links and previews."""
        if hasattr(obj, "public_pages"):
            return list(obj.public_pages())
        return [self.place(obj)] if self.own_page else []

    def read(self, path: Path, text: str) -> dict:
        """Parse and check one file; returns its data, including ``body`` for Markdown."""
        if self.has_body:
            raw, body = load_markdown(text, path)
        else:
            raw, body = load_yaml(text, path), None
        data = self.check_fields(raw, path)
        if self.has_body:
            if not body.strip():
                raise ContentError(path, "the Markdown body is empty")
            data["body"] = body
        return data

    def check_fields(self, raw: dict, path: Path) -> dict:
        known = {spec.name for spec in self.fields}
        unknown = sorted(str(k) for k in raw if k not in known)
        if unknown:
            raise ContentError(
                path,
                f"unknown field {', '.join(repr(u) for u in unknown)} "
                f"(allowed: {', '.join(spec.name for spec in self.fields)})",
            )
        data = {}
        for spec in self.fields:
            value = raw.get(spec.name)
            if _empty(value):
                if spec.required:
                    raise ContentError(path, f"missing required field '{spec.name}'")
                continue
            data[spec.name] = _check_type(spec, value, path)
        return data

    def dump(self, data: dict) -> str:
        front = {
            spec.name: _file_value(spec, data[spec.name])
            for spec in self.fields
            if spec.name in data and not _empty(data[spec.name])
        }
        if self.has_body:
            return dump_markdown(front, data["body"])
        return dump_yaml(front)

    # --- database ------------------------------------------------------------------------

    def queryset(self):
        items = self.model._default_manager.all()
        return items.filter(language=self.language) if self.translatable else items

    def key_of(self, obj) -> str:
        return getattr(obj, self.key_field)

    def from_db(self, obj) -> dict:
        data = {}
        for spec in self.fields:
            if not spec.stored:
                continue
            value = getattr(obj, spec.model_attr)
            if spec.type == "str_list":
                value = [line for line in value.splitlines() if line.strip()]
            if not _empty(value):
                data[spec.name] = value
        if self.has_body:
            data["body"] = obj.body
        return data

    def fill(self, key: str, data: dict, obj, path: Path):
        """``obj`` (or a new record) with the file's values set; not saved."""
        obj = obj or self.model(**{self.key_field: key})
        for spec in self.fields:
            if not spec.stored:
                continue
            value = data.get(spec.name)
            if spec.type == "str_list":
                value = "\n".join(value or [])
            elif value is None:
                field = self.model._meta.get_field(spec.model_attr)
                value = None if field.null else ""
            setattr(obj, spec.model_attr, value)
        if self.has_body:
            obj.body = data["body"].strip()
        return obj

    def save(self, key: str, data: dict, obj, path: Path, *, reason: str = ""):
        obj = self.fill(key, data, obj, path)
        self.full_clean(obj, path)
        # In the revision history:
        obj._change_reason = reason or f"Loaded from {self.name}/{path.name}"
        obj.save()
        return obj

    def proposal(self, key: str, data: dict, obj, path: Path) -> dict:
        """The file's content as the values of a pending change to the live ``obj`` (None: a
        new item), checked as a draft would be (an unknown claim key is allowed)."""
        from ketamine_info.editorial.review import snapshot

        copy = self.model._base_manager.get(pk=obj.pk) if obj is not None else None
        copy = self.fill(key, data, copy, path)
        copy._as_proposal = True
        self.full_clean(copy, path)
        return snapshot(copy)

    @staticmethod
    def full_clean(obj, path: Path) -> None:
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise ContentError(path, validation_problem(exc)) from exc

    @staticmethod
    def valid_key(key: str) -> bool:
        return bool(markup.CLAIM_KEY_RE.match(key))


# The review stamp of reviewed content (``ketamine_info.publishing.ReviewStamp``) in files.
# ``reviewed_by`` is the reviewer's name and credentials as patients see them: a file cannot
# name a login. ``last_updated`` is the day the text last changed in substance.
PUBLISHING_FIELDS = (
    FieldSpec("last_reviewed", "date", required=False),
    FieldSpec("reviewed_by", required=False, attr="reviewed_by_name"),
    FieldSpec("next_review_due", "date", required=False),
    FieldSpec("last_updated", "date", required=False),
)
STAMP_FIELDS = ("last_reviewed", "reviewed_by", "next_review_due")


class PublishableKind(ContentKind):
    """A kind whose model carries a review stamp: the stamp and the date of the last change
    travel with the file. A stamp is exported only while it is current (the live text is the
    text that was reviewed), and a stamp loaded from a file vouches for the file's text: only
    ``load_content --publish`` (the operator's explicit choice) applies it to live content."""

    def from_db(self, obj) -> dict:
        data = super().from_db(obj)
        if obj.review_is_current:
            if obj.reviewer_name:
                data["reviewed_by"] = obj.reviewer_name
        else:
            for name in STAMP_FIELDS:
                data.pop(name, None)
        return data

    def fill(self, key: str, data: dict, obj, path: Path):
        reviewer = obj.reviewed_by if obj is not None and obj.reviewed_by_id else None
        same_reviewer = reviewer is not None and data.get("reviewed_by") == obj.reviewer_name
        kept_name = obj.reviewed_by_name if same_reviewer else None
        obj = super().fill(key, data, obj, path)
        # The date of the last change comes from the file, never from the day of loading.
        obj._keep_last_updated = True
        if same_reviewer:
            obj.reviewed_by = reviewer
            obj.reviewed_by_name = kept_name or ""
        else:
            obj.reviewed_by = None
        obj.reviewed_digest = obj.current_text_digest() if obj.last_reviewed else ""
        return obj


class TranslationFiles:
    """A translated kind's files (``ContentKind.translated``): the same fields as the English,
    plus the English item's key (``translation_of``) and, once the English has changed since,
    the fingerprint of the English text the translation was made from (``source_digest``;
    a file without it was made from the English as it is when first loaded)."""

    def from_db(self, obj) -> dict:
        data = super().from_db(obj)
        english = obj.translation_of
        data["translation_of"] = self.key_of(english) if english is not None else ""
        if english is None or obj.source_digest == english.source_text_digest():
            data.pop("source_digest", None)  # up to date: nothing to record
        return data

    def queryset(self):
        return super().queryset().select_related("translation_of")

    def fill(self, key: str, data: dict, obj, path: Path):
        wanted = data.get("translation_of")
        english = self.model._default_manager.filter(
            language=ENGLISH, **{self.key_field: wanted}
        ).first()
        if english is None:
            raise ContentError(
                path,
                f"'translation_of': there is no English item '{wanted}' in "
                f"{self.name.split('/')[-1]}/",
            )
        obj = super().fill(key, data, obj, path)
        obj.language = self.language
        obj.translation_of = english
        obj.source_digest = data.get("source_digest") or english.source_text_digest()
        return obj
