"""Two revisions of a record, field by field, as a diff a person can read.

Text is compared word by word, keeping line breaks, so a changed word in a long Markdown body
shows as that word struck through and its replacement underlined, not as a whole new paragraph.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TOKEN_RE = re.compile(r"\s+|[^\s]+")


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    diff: SafeString


def word_diff(old: str, new: str) -> SafeString:
    """HTML of ``new`` with deletions in <del> and insertions in <ins>; everything escaped."""
    a, b = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def _display(model, record, field) -> str:
    value = getattr(record, field.attname)
    if value is None or value == "":
        return ""
    if field.is_relation:
        try:
            related = getattr(record, field.name)
        except field.related_model.DoesNotExist:
            return f"(deleted #{value})"
        if hasattr(related, "get_full_name"):  # a person: by name
            return related.get_full_name() or related.get_username()
        return str(related)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def compare_records(model, old, new, *, hidden=frozenset()) -> list[FieldChange]:
    """The fields that differ between two historical records of ``model``, in form order."""
    delta = new.diff_against(old, excluded_fields=set(hidden))
    changed = {change.field for change in delta.changes}
    result = []
    for field in model._meta.concrete_fields:
        if field.name not in changed:
            continue
        before, after = _display(model, old, field), _display(model, new, field)
        result.append(
            FieldChange(
                label=str(field.verbose_name).capitalize(),
                old=before,
                new=after,
                diff=word_diff(before, after),
            )
        )
    return result
