"""Loading content/ into the database, and exporting the database back to files.

``load`` is all or nothing: every file is read and checked first, then everything is applied in
one transaction, so a bad file leaves the database exactly as it was. It never overwrites a
record that staff changed in the admin since it was last loaded, unless forced.

Content files are another way in, not a way around the review: a change to live content is
saved as a pending change for a clinical reviewer, like an editor's edit, and a new page that
its file marks as published is created "in review". Only ``publish=True`` (``load_content
--publish``, the operator's explicit choice) puts the files live at once; the revision history
records it as such.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DataError, IntegrityError, transaction
from django.db.models import ProtectedError

from ketamine_info import registry
from ketamine_info.publishing import announce_public_change
from ketamine_info.translations import ENGLISH, other_languages

from .fileformat import VALUE_ERRORS, ContentError, read_text, value_problem
from .kinds import ContentKind
from .models import LoadedFile


def content_kinds() -> list[ContentKind]:
    """The kinds that have files, in load order: what is cited must exist before what cites
    it (``ContentKind.load_order``). A translated kind's files in each other language follow
    its English ones (content/es/articles/ after content/articles/)."""
    found = []
    for kind in registry.kinds():
        if not kind.name:
            continue
        found.append(kind)
        if kind.translatable:
            found.extend(kind.translated(language) for language in other_languages(ENGLISH))
    return found


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
    pending: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.pending or self.written or self.removed)

    def summary(self) -> str:
        return (
            f"created {len(self.created)}, updated {len(self.updated)}, "
            f"unchanged {len(self.unchanged)}, skipped {len(self.skipped)}, "
            f"waiting for review {len(self.pending)}"
        )


@dataclass
class Entry:
    kind: ContentKind
    key: str
    path: Path
    data: dict
    text: str  # canonical text of the data


def _outside(path: Path, root: Path) -> bool:
    """True when ``path`` (a link, or inside a linked folder) leads out of the content tree."""
    return not path.resolve().is_relative_to(root)


def _link_loop(path: Path) -> bool:
    """True when following ``path``'s links never ends (a link to itself, or a ring of them)."""
    try:
        path.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError; later versions OSError
        return True
    return False


def _entry_files(
    kind: ContentKind, folder: Path, root: Path
) -> tuple[list[Path], list[ContentError]]:
    files, errors = [], []
    if _link_loop(folder):
        return files, [ContentError(folder, "a link that leads back to itself (a loop)")]
    if not folder.is_dir():
        return files, errors
    if _outside(folder, root):
        return files, [ContentError(folder, "a link to a folder outside the content folder")]
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if _link_loop(path):
            errors.append(ContentError(path, "a link that leads back to itself (a loop)"))
            continue
        if _outside(path, root):
            errors.append(ContentError(path, "a link to a file outside the content folder"))
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
    root = content_dir.resolve()
    for kind in content_kinds():
        files, folder_errors = _entry_files(kind, content_dir / kind.name, root)
        errors.extend(folder_errors)
        for path in files:
            try:
                data = kind.read(path, read_text(path))
            except ContentError as exc:
                errors.append(exc)
                continue
            except VALUE_ERRORS as exc:  # a check that did not expect this value: still the file's
                errors.append(ContentError(path, value_problem(exc)))
                continue
            entries.append(Entry(kind, path.stem, path, data, kind.dump(data)))
    if errors:
        raise ContentErrors(errors)
    return entries


def load(content_dir: Path, *, force: bool = False, publish: bool = False) -> Report:
    entries = read_content(content_dir)
    report = Report()
    try:
        with transaction.atomic():
            _apply(entries, report, force=force, publish=publish)
            if publish and (report.created or report.updated):
                announce_public_change(None)
    except ContentError as exc:
        raise ContentErrors([exc]) from exc
    return report


# The revision history's note (at most 100 characters there).
PUBLISHED_BY_OPERATOR = "Published from {label} by the operator (--publish)"


def _apply(entries: list[Entry], report: Report, *, force: bool, publish: bool) -> None:
    from ketamine_info.editorial import review

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
        if not publish and review.goes_to_review(kind.model, obj):
            # Live content: the change waits for a clinical reviewer; the file is not
            # remembered as loaded, so the next load proposes it again if it is still new.
            values = kind.proposal(entry.key, entry.data, obj, entry.path)
            change = review.propose(kind.model, values, live=obj, origin=f"content file {label}")
            if change is None:
                report.skipped.append(
                    f"{label} (only its review record differs: a reviewer records reviews; "
                    "or load with --publish)"
                )
            elif getattr(change, "already_waiting", False):
                report.unchanged.append(f"{label} (waiting for review)")
            else:
                report.pending.append(label)
            continue
        data = entry.data
        if not publish and data.get("status") == "published":
            # Publishing is a reviewer's act: the new page waits in review.
            data = {**data, "status": "review"}
            for name in ("last_reviewed", "reviewed_by", "next_review_due"):
                data.pop(name, None)
            if obj is not None and kind.dump(data) == kind.dump(kind.from_db(obj)):
                report.unchanged.append(f"{label} (in review: a reviewer publishes it)")
                continue
        reason = PUBLISHED_BY_OPERATOR.format(label=label)[:100] if publish else ""
        try:
            saved = kind.save(entry.key, data, obj, entry.path, reason=reason)
        except ProtectedError as exc:
            raise ContentError(entry.path, exc.args[0]) from exc
        except (*VALUE_ERRORS, DataError, IntegrityError) as exc:
            # A value the database refuses (a number too large for its column, …): the file's
            # problem, reported as such; the whole load is rolled back.
            raise ContentError(entry.path, value_problem(exc)) from exc
        (report.updated if obj is not None else report.created).append(label)
        # What the loader left, so that a later change in the admin is still noticed.
        text = entry.text if data is entry.data else kind.dump(kind.from_db(saved))
        _remember(state, kind.name, entry.key, text)


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
