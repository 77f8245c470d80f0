"""Reading and writing content files: YAML, and Markdown with YAML front matter.

Reading is strict (no YAML tags, anchors or duplicate keys) so a mistake in a file is reported
instead of silently changing what it means. Writing is canonical: the same data always gives the
same bytes, which is what makes ``load_content`` followed by ``export_content`` a round trip.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import frontmatter
import yaml


class ContentError(Exception):
    """A content file that cannot be loaded; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors/aliases (no "billion laughs") and duplicate keys."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "YAML anchors and aliases are not allowed", event.start_mark
            )
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.constructor.ConstructorError(
                None, None, "YAML anchors and aliases are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the field {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class CanonicalDumper(yaml.SafeDumper):
    """Block style, no line folding, multi-line strings as literal blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


CanonicalDumper.add_representer(str, _represent_str)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
    problem = getattr(exc, "problem", None) or str(exc)
    return f"invalid YAML{where}: {problem}"


# What a YAML value can raise besides YAMLError: an impossible date (2026-02-30) is a
# ValueError, thousands of nested [ a RecursionError. Each is a problem of the file.
VALUE_ERRORS = (ValueError, TypeError, OverflowError, RecursionError)


def value_problem(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply ([ or { inside each other hundreds of times)"
    return f"a value cannot be read: {exc}"


def load_yaml(text: str, path: Path) -> dict:
    try:
        data = yaml.load(text, Loader=StrictLoader)  # noqa: S506 (StrictLoader is a SafeLoader)
    except yaml.YAMLError as exc:
        raise ContentError(path, _yaml_problem(exc)) from exc
    except VALUE_ERRORS as exc:
        raise ContentError(path, value_problem(exc)) from exc
    if not isinstance(data, dict):
        raise ContentError(path, "expected a YAML mapping of field: value")
    return data


def dump_yaml(data: dict) -> str:
    return yaml.dump(
        data, Dumper=CanonicalDumper, sort_keys=False, allow_unicode=True, width=10_000
    )


class _StrictFrontMatter(frontmatter.YAMLHandler):
    def load(self, fm: str, **kwargs):
        return yaml.load(fm, Loader=StrictLoader)  # noqa: S506


def load_markdown(text: str, path: Path) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        raise ContentError(path, "a Markdown file must start with '---' and YAML front matter")
    try:
        post = frontmatter.loads(text, handler=_StrictFrontMatter())
    except yaml.YAMLError as exc:
        raise ContentError(path, "front matter: " + _yaml_problem(exc)) from exc
    except VALUE_ERRORS as exc:
        raise ContentError(path, "front matter: " + value_problem(exc)) from exc
    if not isinstance(post.metadata, dict) or not post.metadata:
        raise ContentError(path, "the front matter must be a YAML mapping of field: value")
    return dict(post.metadata), post.content


def dump_markdown(data: dict, body: str) -> str:
    return f"---\n{dump_yaml(data)}---\n{body.strip()}\n"


# No content file comes near these: an article body is at most 50,000 characters, the
# longest other field a little over 1,000. Anything bigger is a mistake or an attack.
MAX_FILE_BYTES = 256 * 1024
MAX_FIELD_CHARS = 10_000
MAX_LIST_ITEMS = 1_000


def read_bytes(path: Path) -> bytes:
    """The file's bytes, if it is a regular file of at most MAX_FILE_BYTES. Opened without
    blocking, so a FIFO is refused instead of waiting for a writer forever; a device (a link
    to /dev/zero) is refused before anything is read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise ContentError(path, f"cannot be opened: {exc.strerror}") from exc
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ContentError(path, "not a regular file (a pipe, device or socket)")
        if info.st_size > MAX_FILE_BYTES:
            raise ContentError(
                path, f"{info.st_size:,} bytes: a content file is at most {MAX_FILE_BYTES:,}"
            )
        raw = file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ContentError(path, f"larger than {MAX_FILE_BYTES:,} bytes")
    return raw


def read_text(path: Path) -> str:
    try:
        raw = read_bytes(path)
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(path, f"not valid UTF-8 text (byte {exc.start})") from exc
    if "\r" in text:
        raise ContentError(path, "use Unix line endings (\\n), not Windows (\\r\\n)")
    if "\x00" in text:
        raise ContentError(path, "contains a NUL byte")
    return text


def as_date(value, path: Path, field: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ContentError(path, f"'{field}' must be a date written YYYY-MM-DD, not {value!r}")
