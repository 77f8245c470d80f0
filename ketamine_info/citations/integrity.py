"""Checks that the citation registry and the pages that cite it hold together."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.apps import apps

from ketamine_info.translations import ENGLISH

from .models import Claim, Source, citing_models


def _figures():
    return apps.get_model("figures", "Figure")  # by label: drawings build on this app


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


# Words that say how a source was checked or where a copy was found. That belongs in the
# staff-only verification note; the public description says what the source is and found.
VERIFICATION_WORDS = re.compile(
    r"\b(stored|cop(?:y|ies)|proxy|corpus|scribd|not given|read on|(?:un)?verified|checked)\b",
    re.IGNORECASE,
)


def verification_words(text: str) -> list[str]:
    return sorted({match.group(0).lower() for match in VERIFICATION_WORDS.finditer(text)})


def source_problems() -> list[Problem]:
    problems = []
    kinds = set(Source.Kind.values)
    for source in Source.objects.order_by("key"):
        if source.kind not in kinds:
            problems.append(
                Problem("source without kind", f"source '{source.key}' has no known kind")
            )
        words = verification_words(source.notes)
        if words:
            problems.append(
                Problem(
                    "verification detail in public note",
                    f"source '{source.key}': the public description says "
                    f"{', '.join(repr(w) for w in words)}; move how it was checked to the "
                    "staff-only verification note",
                )
            )
    return problems


def clinic_source_problems() -> list[Problem]:
    """A clinic's own page may back only what that clinic says about its practice."""
    problems = []
    claims = Claim.objects.filter(scope=Claim.Scope.MEDICAL).prefetch_related("citations__source")
    for claim in claims:
        kinds = [citation.source.kind for citation in claim.citations.all()]
        clinic = [kind for kind in kinds if kind == Source.Kind.CLINIC]
        if not clinic:
            continue
        if len(clinic) == len(kinds):
            problems.append(
                Problem(
                    "medical claim on clinic sources only",
                    f"claim '{claim.key}' states a medical fact but cites only clinic pages",
                )
            )
        else:
            problems.append(
                Problem(
                    "clinic source for a medical fact",
                    f"claim '{claim.key}' cites a clinic page for a medical fact; cite the "
                    "clinic only in a claim with scope 'clinic-practice'",
                )
            )
    return problems


def audit() -> list[Problem]:
    problems: list[Problem] = []
    claim_keys = set(Claim.objects.values_list("key", flat=True))
    # Pages of every language place a drawing by its English figure's key.
    figure_keys = set(_figures().objects.filter(language=ENGLISH).values_list("key", flat=True))
    used: set[str] = set()
    for model in citing_models():
        for item in model._default_manager.all():
            label = f"{model._meta.verbose_name} '{item}'"
            rendered = item.render_body(by_key={})  # the keys only: no need of sources
            used.update(rendered.claim_keys)
            for key in rendered.claim_keys:
                if key not in claim_keys:
                    problems.append(
                        Problem("unknown claim", f"{label} cites [@{key}], which is not a claim")
                    )
            for marker in rendered.malformed_markers:
                problems.append(Problem("malformed marker", f"{label} has {marker}"))
            for key in rendered.figure_keys:
                if key not in figure_keys:
                    problems.append(
                        Problem(
                            "unknown figure", f"{label} places [[figure {key}]], which is no figure"
                        )
                    )

    for key in Claim.objects.filter(citations__isnull=True).values_list("key", flat=True):
        problems.append(Problem("claim without citation", f"claim '{key}' cites no source"))
    for key in sorted(claim_keys - used):
        problems.append(Problem("unused claim", f"claim '{key}' is not cited by any page"))
    for key in Source.objects.filter(citations__isnull=True).values_list("key", flat=True):
        problems.append(Problem("uncited source", f"source '{key}' is cited by no claim"))
    return problems + source_problems() + clinic_source_problems()
