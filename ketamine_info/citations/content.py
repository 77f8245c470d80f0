"""content/sources/*.yaml and content/claims/*.yaml."""

from pathlib import Path

from django.db.models import Prefetch
from django.urls import reverse

from ketamine_info.contentsync.fileformat import ContentError
from ketamine_info.contentsync.kinds import ContentKind, FieldSpec, place_of

from .models import Citation, Claim, Source


class SourceKind(ContentKind):
    """Every stored source is public: its page, the list of sources and the reference lists of
    pages citing it. A new one waits for review like a change."""

    name = "sources"
    model = Source
    load_order = 10
    staff_only = frozenset({"staff_notes"})
    own_page = True
    listed_on = ("citations:list", "faqs:list")

    def place(self, obj) -> tuple[str, str]:
        return f"Source: “{obj}”", obj.get_absolute_url()

    def pages_showing(self, obj) -> list[tuple[str, str]]:
        if not obj.pk:
            return []
        found = [self.place(obj), ("List of sources", reverse("citations:list"))]
        for claim in obj.live_claims():
            found.extend(place_of(page) for page in claim.used_on(public_only=True))
        return found

    fields = (
        FieldSpec("title"),
        FieldSpec("kind"),
        FieldSpec("publisher"),
        FieldSpec("authors", "str_list", required=False),
        FieldSpec("published", "partial_date", required=False),
        FieldSpec("url", required=False),
        FieldSpec("doi", required=False),
        FieldSpec("pmid", required=False),
        FieldSpec("citation", required=False),
        FieldSpec("accessed", "date", required=False),
        FieldSpec("notes", required=False),
        FieldSpec("staff_notes", required=False),
    )


CITATION_FIELDS = ("source", "locator", "excerpt")


class ClaimKind(ContentKind):
    """Every stored claim is public: on the pages of the sources it cites, and in the
    reference list of every page citing it. A new one waits for review like a change."""

    name = "claims"
    model = Claim
    load_order = 20
    covers = ("citations.Citation",)
    listed_on = ("citations:list", "faqs:list")
    fields = (
        FieldSpec("statement"),
        FieldSpec("statement_es", required=False),
        FieldSpec("scope", required=False),
    )

    def pages_showing(self, obj) -> list[tuple[str, str]]:
        if not obj.pk:
            return []
        found = [place_of(page) for page in obj.used_on(public_only=True)]
        for citation in obj.citations.select_related("source"):
            found.append(SourceKind().place(citation.source))
        return found

    def read(self, path: Path, text: str) -> dict:
        from ketamine_info.contentsync.fileformat import load_yaml

        raw = load_yaml(text, path)
        citations = raw.pop("citations", None)
        data = self.check_fields(raw, path)
        if not isinstance(citations, list) or not citations:
            raise ContentError(path, "'citations' must list at least one source")
        data["citations"] = []
        for number, entry in enumerate(citations, start=1):
            where = f"citation {number}"
            if not isinstance(entry, dict):
                raise ContentError(path, f"{where} must be a mapping with 'source'")
            unknown = sorted(set(entry) - set(CITATION_FIELDS))
            if unknown:
                raise ContentError(path, f"{where}: unknown field {', '.join(unknown)}")
            if not isinstance(entry.get("source"), str) or not entry["source"]:
                raise ContentError(path, f"{where}: missing 'source' (a source key)")
            for optional in ("locator", "excerpt"):
                if optional in entry and not isinstance(entry[optional], str):
                    raise ContentError(path, f"{where}: '{optional}' must be text")
            data["citations"].append({k: entry[k] for k in CITATION_FIELDS if entry.get(k)})
        return data

    def dump(self, data: dict) -> str:
        from ketamine_info.contentsync.fileformat import dump_yaml

        front = {"statement": data["statement"]}
        if data.get("statement_es"):
            front["statement_es"] = data["statement_es"]
        if data.get("scope"):
            front["scope"] = data["scope"]
        return dump_yaml({**front, "citations": data["citations"]})

    def queryset(self):
        return Claim.objects.prefetch_related(
            Prefetch("citations", queryset=Citation.objects.select_related("source"))
        )

    def from_db(self, obj) -> dict:
        citations = []
        for citation in obj.citations.all():
            entry = {"source": citation.source.key}
            if citation.locator:
                entry["locator"] = citation.locator
            if citation.excerpt:
                entry["excerpt"] = citation.excerpt
            citations.append(entry)
        data = {"statement": obj.statement, "citations": citations}
        if obj.statement_es:
            data["statement_es"] = obj.statement_es
        if obj.scope:
            data["scope"] = obj.scope
        return data

    def fill(self, key: str, data: dict, obj, path: Path):
        obj = obj or Claim(key=key)
        obj.statement = data["statement"]
        obj.statement_es = data.get("statement_es", "")
        obj.scope = data.get("scope", "")
        return obj

    def _citation_values(self, data: dict, path: Path, *, proposed: bool = False) -> list[dict]:
        """``proposed``: for a change waiting for review, which may cite a new source that
        waits for review too (by its key: it is published first)."""
        from ketamine_info.editorial.review import WAITING_SOURCE, open_new_change

        sources = dict(
            Source.objects.filter(key__in=[c["source"] for c in data["citations"]]).values_list(
                "key", "pk"
            )
        )
        values = []
        for position, entry in enumerate(data["citations"]):
            value = {
                "source": sources.get(entry["source"]),
                "locator": entry.get("locator", ""),
                "excerpt": entry.get("excerpt", ""),
            }
            if value["source"] is None:
                if not (proposed and open_new_change(Source, entry["source"])):
                    raise ContentError(
                        path, f"citation {position + 1}: unknown source key '{entry['source']}'"
                    )
                value[WAITING_SOURCE] = entry["source"]
            values.append(value)
        return values

    def proposal(self, key: str, data: dict, obj, path: Path) -> dict:
        values = super().proposal(key, data, obj, path)
        values["citations"] = self._citation_values(data, path, proposed=True)
        return values

    def save(self, key: str, data: dict, obj, path: Path, *, reason: str = ""):
        obj = self.fill(key, data, obj, path)
        self.full_clean(obj, path)
        obj._change_reason = reason or f"Loaded from {self.name}/{path.name}"
        obj.save()
        citations = self._citation_values(data, path)
        old = list(obj.citations.values_list("pk", flat=True))
        # The new citations first: a claim that live pages cite is never left with none.
        for position, entry in enumerate(citations):
            citation = Citation(
                claim=obj,
                position=position,
                **{
                    "source_id": entry["source"],
                    "locator": entry["locator"],
                    "excerpt": entry["excerpt"],
                },
            )
            self.full_clean(citation, path)
            citation.save()
        for citation in Citation.objects.filter(pk__in=old):
            citation.delete()
        return obj


KINDS = [SourceKind, ClaimKind]
