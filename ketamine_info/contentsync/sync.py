"""Loading content/ into the database, and exporting the database back to files.

``load`` is all or nothing: every file is read and checked first, then everything is applied in
one transaction, so a bad file leaves the database exactly as it was. It never overwrites a
record that staff changed in the admin since it was last loaded, unless forced.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.module_loading import import_string

from .fileformat import ContentError, read_text
from .kinds import ContentKind
from .models import LoadedFile

# Load order: what is cited must exist before what cites it.
KIND_PATHS = [
    "ketamine_info.citations.content.SourceKind",
    "ketamine_info.citations.content.ClaimKind",
    "ketamine_info.glossary.content.TermKind",
    "ketamine_info.figures.content.FigureKind",
    "ketamine_info.articles.content.ArticleKind",
    "ketamine_info.faqs.content.QuestionKind",
    "ketamine_info.pages.content.PageKind",
    # Contact blocks may name the articles they show on.
    "ketamine_info.clinics.content.ClinicKind",
    "ketamine_info.search.content.SynonymKind",
]


def content_kinds() -> list[ContentKind]:
    return [import_string(path)() for path in KIND_PATHS]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ContentErrors(Exception):
    """One or more content files cannot be loaded; nothing was changed."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.written or self.removed)

    def summary(self) -> str:
        return (
            f"created {len(self.created)}, updated {len(self.updated)}, "
            f"unchanged {len(self.unchanged)}, skipped {len(self.skipped)}"
        )


@dataclass
class Entry:
    kind: ContentKind
    key: str
    path: Path
    data: dict
    text: str  # canonical text of the data


def _entry_files(kind: ContentKind, folder: Path) -> tuple[list[Path], list[ContentError]]:
    files, errors = [], []
    if not folder.is_dir():
        return files, errors
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir() or path.suffix != kind.suffix:
            errors.append(ContentError(path, f"unexpected file: {kind.name}/ holds *{kind.suffix}"))
            continue
        if not kind.valid_key(path.stem):
            errors.append(
                ContentError(
                    path,
                    f"bad file name '{path.stem}': use lowercase letters, digits and "
                    "single hyphens (the name is the entry's permanent key)",
                )
            )
            continue
        files.append(path)
    return files, errors


def read_content(content_dir: Path) -> list[Entry]:
    """Read and check every file; raise ContentErrors listing every bad file."""
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        raise ContentErrors([ContentError(content_dir, "no such content folder")])
    entries, errors = [], []
    for kind in content_kinds():
        files, folder_errors = _entry_files(kind, content_dir / kind.name)
        errors.extend(folder_errors)
        for path in files:
            try:
                data = kind.read(path, read_text(path))
            except ContentError as exc:
                errors.append(exc)
                continue
            entries.append(Entry(kind, path.stem, path, data, kind.dump(data)))
    if errors:
        raise ContentErrors(errors)
    return entries


def load(content_dir: Path, *, force: bool = False) -> Report:
    entries = read_content(content_dir)
    report = Report()
    try:
        with transaction.atomic():
            _apply(entries, report, force=force)
    except ContentError as exc:
        raise ContentErrors([exc]) from exc
    return report


def _apply(entries: list[Entry], report: Report, *, force: bool) -> None:
    states = {(s.kind, s.key): s for s in LoadedFile.objects.all()}
    by_kind: dict[str, dict[str, object]] = {}
    for entry in entries:
        kind = entry.kind
        if kind.name not in by_kind:
            by_kind[kind.name] = {kind.key_of(obj): obj for obj in kind.queryset()}
        obj = by_kind[kind.name].get(entry.key)
        label = f"{kind.name}/{entry.path.name}"
        state = states.get((kind.name, entry.key))
        if obj is not None:
            db_text = kind.dump(kind.from_db(obj))
            if db_text == entry.text:
                report.unchanged.append(label)
                _remember(state, kind.name, entry.key, entry.text)
                continue
            edited_by_staff = state is None or state.digest != digest(db_text)
            if edited_by_staff and not force:
                report.skipped.append(f"{label} (changed in the admin since it was loaded)")
                continue
        kind.save(entry.key, entry.data, obj, entry.path)
        (report.updated if obj is not None else report.created).append(label)
        _remember(state, kind.name, entry.key, entry.text)


def _remember(state: LoadedFile | None, kind: str, key: str, text: str) -> None:
    value = digest(text)
    if state is None:
        LoadedFile.objects.create(kind=kind, key=key, digest=value)
    elif state.digest != value:
        state.digest = value
        state.save(update_fields=["digest", "synced"])


def export(dest_dir: Path) -> Report:
    """Write every record to ``dest_dir`` in the canonical format, mirroring the database:
    entry files with no record are removed."""
    dest_dir = Path(dest_dir)
    report = Report()
    states = {(s.kind, s.key): s for s in LoadedFile.objects.all()}
    for kind in content_kinds():
        folder = dest_dir / kind.name
        folder.mkdir(parents=True, exist_ok=True)
        keep = set()
        for obj in kind.queryset():
            key = kind.key_of(obj)
            text = kind.dump(kind.from_db(obj))
            path = folder / f"{key}{kind.suffix}"
            keep.add(path.name)
            if not path.exists() or path.read_bytes() != text.encode("utf-8"):
                path.write_bytes(text.encode("utf-8"))
                report.written.append(f"{kind.name}/{path.name}")
            else:
                report.unchanged.append(f"{kind.name}/{path.name}")
            # The file now matches the record: a later load must treat it as in sync.
            _remember(states.get((kind.name, key)), kind.name, key, text)
        for path in sorted(folder.glob(f"*{kind.suffix}")):
            if path.name not in keep:
                path.unlink()
                report.removed.append(f"{kind.name}/{path.name}")
    return report
