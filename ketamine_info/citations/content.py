"""content/sources/*.yaml and content/claims/*.yaml."""

from pathlib import Path

from django.db.models import Prefetch

from ketamine_info.contentsync.fileformat import ContentError
from ketamine_info.contentsync.kinds import ContentKind, FieldSpec

from .models import Citation, Claim, Source


class SourceKind(ContentKind):
    name = "sources"
    model = Source
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
    name = "claims"
    model = Claim
    fields = (FieldSpec("statement"), FieldSpec("scope", required=False))

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
        if obj.scope:
            data["scope"] = obj.scope
        return data

    def fill(self, key: str, data: dict, obj, path: Path):
        obj = obj or Claim(key=key)
        obj.statement = data["statement"]
        obj.scope = data.get("scope", "")
        return obj

    def _citation_values(self, data: dict, path: Path) -> list[dict]:
        sources = dict(
            Source.objects.filter(key__in=[c["source"] for c in data["citations"]]).values_list(
                "key", "pk"
            )
        )
        values = []
        for position, entry in enumerate(data["citations"]):
            if entry["source"] not in sources:
                raise ContentError(
                    path, f"citation {position + 1}: unknown source key '{entry['source']}'"
                )
            values.append(
                {
                    "source": sources[entry["source"]],
                    "locator": entry.get("locator", ""),
                    "excerpt": entry.get("excerpt", ""),
                }
            )
        return values

    def proposal(self, key: str, data: dict, obj, path: Path) -> dict:
        values = super().proposal(key, data, obj, path)
        values["citations"] = self._citation_values(data, path)
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
