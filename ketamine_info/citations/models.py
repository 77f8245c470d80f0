"""The citation registry: the documents the site relies on and the statements it makes.

A ``Source`` is a document (a trial, a review, an FDA label, a clinic article). A ``Claim`` is one
statement a page makes, in plain words, backed by one or more ``Citation`` rows that say where in
which source it is supported. Pages cite claims, never sources directly, with markers such as
``[@esketamine-fda-approval-2019]`` in their Markdown; ``CitingContent`` is the base for every
model whose Markdown may carry such markers.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import translation
from simple_history.models import HistoricalRecords

from ketamine_info import markup, registry
from ketamine_info.translations import ENGLISH
from ketamine_info.versioning import Versioned

from . import references

key_validator = RegexValidator(
    markup.CLAIM_KEY_RE,
    "Use lowercase letters, digits and single hyphens only, e.g. fda-spravato-approval-2019.",
)

EXCERPT_MAX_LENGTH = 300
BODY_MAX_LENGTH = 50_000


def glossary_for(language: str) -> dict[str, str]:
    """The glossary terms to link in text written in ``language`` (by label: the glossary
    builds on this app)."""
    return apps.get_model("glossary", "Term").objects.in_language(language).link_targets()


class Source(Versioned):
    class Kind(models.TextChoices):
        # Ordered from the strongest kind of evidence to the weakest, as the registry lists them.
        GUIDELINE = "guideline", "Clinical guideline"
        CONSENSUS = "consensus", "Consensus statement (expert advice, not a guideline)"
        REVIEW = "review", "Systematic review or meta-analysis"
        NARRATIVE_REVIEW = "narrative-review", "Expert review (not systematic)"
        TRIAL = "trial", "Clinical trial"
        POST_HOC = "post-hoc", "Later analysis of trial data (post hoc)"
        OBSERVATIONAL = "observational", "Observational study (no control group chosen at random)"
        UNCONTROLLED = "uncontrolled", "Treatment study with no comparison group"
        PRECLINICAL = "preclinical", "Laboratory or animal study"
        REGULATOR = "regulator", "Regulator document"
        MANUFACTURER = "manufacturer", "Drug maker's information"
        PUBLIC_HEALTH = "public-health", "Public health service"
        CLINIC = "clinic", "Clinic information"

    key = models.CharField(
        max_length=100,
        unique=True,
        validators=[key_validator],
        help_text="Short permanent name, used in the source's web address. Do not change it once "
        "published.",
    )
    title = models.CharField(max_length=500, help_text="The document's title as published.")
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        help_text="What kind of evidence this is. Patients see it next to every reference.",
    )
    publisher = models.CharField(
        max_length=300, help_text="Journal, agency or website that published it."
    )
    authors = models.TextField(
        blank=True,
        help_text="One author per line, as 'Surname Initials'. Leave empty for agencies.",
    )
    published = models.CharField(
        max_length=10,
        blank=True,
        validators=[
            RegexValidator(
                r"^\d{4}(-\d{2}(-\d{2})?)?$", "Write the date as YYYY, YYYY-MM or YYYY-MM-DD."
            )
        ],
        help_text="Publication date: YYYY-MM-DD, or just the year.",
    )
    url = models.URLField(
        "URL", max_length=500, blank=True, help_text="Public address of the original, if any."
    )
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[RegexValidator(r"^10\.\d{4,9}/\S+$", "A DOI starts with 10. and a slash.")],
        help_text="Without https://doi.org/, e.g. 10.1056/NEJMoa2302399.",
    )
    pmid = models.CharField(
        "PubMed ID",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{1,9}$", "A PubMed ID is a number.")],
    )
    citation = models.CharField(
        max_length=300, blank=True, help_text="Journal, year, volume(issue):pages."
    )
    accessed = models.DateField(
        null=True, blank=True, help_text="When someone last checked the source."
    )
    notes = models.TextField(
        "public description",
        blank=True,
        help_text="Shown to patients: what the source is and what it found, and limits a "
        "reader should know, e.g. 'small study, 18 patients'. Never how it was checked.",
    )
    staff_notes = models.TextField(
        "verification note (staff only)",
        blank=True,
        help_text="Never shown on public pages: what was checked, where, by whom and when.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("citations:source", args=[self.key])

    def live_claims(self) -> list[Claim]:
        """The claims citing this source that live pages use."""
        return [
            claim
            for claim in Claim.objects.filter(citations__source=self).distinct()
            if claim.is_cited_live()
        ]

    def is_live(self) -> bool:
        """Every stored source is public (its page, the list of sources): a change to it, and
        a new one, waits for review."""
        return self.pk is not None

    @property
    def year(self) -> str:
        return self.published[:4]

    @property
    def author_list(self) -> list[str]:
        return [line.strip() for line in self.authors.splitlines() if line.strip()]

    @property
    def original_url(self) -> str:
        if self.url:
            return self.url
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return ""


class Claim(Versioned):
    class Scope(models.TextChoices):
        # Most claims state a medical fact, which needs evidence stronger than a clinic's word.
        MEDICAL = "", "Medical fact"
        CLINIC_PRACTICE = "clinic-practice", "What a clinic says about its own practice"

    key = models.CharField(
        max_length=100,
        unique=True,
        validators=[key_validator],
        help_text="Short permanent name that pages use to cite this claim: [@key].",
    )
    statement = models.TextField(
        help_text="The statement the site makes, in one plain sentence. Patients see it in the "
        "References list."
    )
    scope = models.CharField(
        max_length=20,
        choices=Scope.choices,
        blank=True,
        default=Scope.MEDICAL,
        help_text="A medical fact must cite at least one source that is not a clinic's own page. "
        "Choose 'what a clinic says about its own practice' only for a statement such as "
        "'One clinic says you stay for an hour afterwards'.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key

    def is_live(self) -> bool:
        """Every stored claim is public (on the pages of the sources it cites): a change to
        it, and a new one, waits for review."""
        return self.pk is not None

    def is_cited_live(self) -> bool:
        """Cited by a page patients can read now: it must keep its evidence."""
        return bool(self.used_on(public_only=True))

    def used_on(self, *, public_only: bool = False) -> list[CitingContent]:
        """Every saved page or answer whose text cites this claim."""
        pages: list[CitingContent] = []
        for rel in self._meta.related_objects:
            if rel.many_to_many and issubclass(rel.related_model, CitingContent):
                related = getattr(self, rel.get_accessor_name()).all()
                pages.extend(related.published() if public_only else related)
        return pages


class Citation(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    locator = models.CharField(
        max_length=300, blank=True, help_text="Where in the source: section, heading, page, table."
    )
    excerpt = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(EXCERPT_MAX_LENGTH)],
        help_text=f"Optional short quote, word for word, at most {EXCERPT_MAX_LENGTH} characters.",
    )
    position = models.PositiveIntegerField(default=0)

    # A claim's citations are part of its revision history.
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("excerpt"), EXCERPT_MAX_LENGTH),
                name="citation_excerpt_short",
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim.key} → {self.source.key}"


def citing_models() -> list[type[CitingContent]]:
    """Every kind of content whose body cites claims, as the apps declare them (the registry
    of content kinds): what is re-rendered, checked and kept from losing its evidence."""
    return [model for model in registry.models() if issubclass(model, CitingContent)]


def citations_by_claim_key(keys) -> dict[str, list[Citation]]:
    """The citations of the claims with these keys, each claim's in order, in one query."""
    by_key: dict[str, list[Citation]] = {}
    if not keys:
        return by_key
    citations = (
        Citation.objects.filter(claim__key__in=set(keys))
        .select_related("claim", "source")
        .order_by("claim__key", "position", "id")
    )
    for citation in citations:
        by_key.setdefault(citation.claim.key, []).append(citation)
    return by_key


def unknown_claim_keys(keys: list[str]) -> list[str]:
    known = set(Claim.objects.filter(key__in=keys).values_list("key", flat=True))
    return [key for key in keys if key not in known]


class CitingContent(models.Model):
    """Base for content whose Markdown ``body`` may cite claims.

    The body is rendered once per save, with the registry's claim → source map in hand, and
    stored; views never render Markdown. One pass gives the HTML with its markers numbered by
    source, the reference list they lead to (``references.py`` writes its entries), the claims
    cited in order of first use (also stored as a relation, so a claim knows the pages that use
    it), the figures placed, the headings and the plain text. All of it is rendered again
    whenever a claim, citation or source it cites changes (``rerender.py``).
    """

    body = models.TextField(
        # Bounded: Python-Markdown slows down sharply on some very long inputs.
        validators=[MaxLengthValidator(BODY_MAX_LENGTH)],
        help_text="Markdown. Cite every factual statement with a claim marker, e.g. "
        "'Esketamine is a nasal spray.[@esketamine-nasal-spray]'.",
    )
    body_html = models.TextField(editable=False, default="")
    claim_keys = models.JSONField(editable=False, default=list)
    claims = models.ManyToManyField(
        Claim, editable=False, blank=True, related_name="%(app_label)s_%(class)s_set"
    )
    # The keys of the drawings placed with [[figure key]], in order.
    figure_keys = models.JSONField(editable=False, default=list)
    # [id, text] of each ## heading.
    outline = models.JSONField(editable=False, default=list)
    body_text = models.TextField(editable=False, default="")
    # The entries of the reference list body_html's numbers lead to.
    references_html = models.TextField(editable=False, default="")
    reference_count = models.PositiveIntegerField(editable=False, default=0)

    # Derived from the body and the registry: never typed, never a revision of their own.
    DERIVED_FIELDS = (
        "body_html",
        "claim_keys",
        "figure_keys",
        "outline",
        "body_text",
        "references_html",
        "reference_count",
    )

    # Articles and FAQ answers link the first use of each glossary term to its definition.
    links_glossary_terms = False

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        # Browsers submit textareas with CRLF; content files and exports use LF only. NUL has
        # no meaning in text, and PostgreSQL cannot store it.
        self.body = self.body.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
        checked = getattr(self, "_checked_render", None)
        # clean() has just rendered this very text (a bounded render): not twice per save.
        if checked and checked[0] == self.body:
            rendered, by_key = checked[1], checked[2]
        else:
            by_key = self.registry_for_body()
            rendered = self.render_body(by_key=by_key)
        self._checked_render = None
        self.take_rendered(rendered, by_key)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.DERIVED_FIELDS}
        super().save(*args, **kwargs)
        self.claims.set(Claim.objects.filter(key__in=rendered.claim_keys))

    def take_rendered(self, rendered: markup.Rendered, by_key: dict[str, list[Citation]]) -> None:
        """Keep what one rendering gave; ``by_key``: the citations it was rendered with."""
        with translation.override(self.text_language):
            self.references_html = references.entries_html(rendered.references, by_key)
        self.body_html = rendered.html
        self.claim_keys = rendered.claim_keys
        self.figure_keys = rendered.figure_keys
        self.outline = [list(heading) for heading in rendered.outline]
        self.body_text = rendered.text
        self.reference_count = len(rendered.references)

    def registry_for_body(self) -> dict[str, list[Citation]]:
        """The citations of the claims the body's markers name, fetched before rendering it."""
        return citations_by_claim_key(markup.marker_keys(self.body))

    def marker_id_prefix(self) -> str:
        return ""

    def goes_public(self) -> bool:
        """Whether saving this makes its text public now. A draft, or a change waiting for
        review (``_as_proposal``), may cite a claim not yet in the registry: a warning, so that
        work in progress is never lost; publishing it is refused."""
        if getattr(self, "_as_proposal", False):
            return False
        status = getattr(self, "status", None)
        return status is None or status == "published"

    def unknown_claims(self) -> list[str]:
        # Most often every marker names a known claim: then there is nothing to render.
        if not unknown_claim_keys(sorted(markup.marker_keys(self.body))):
            return []
        return unknown_claim_keys(self.render_body(by_key={}).claim_keys)

    def render_body(
        self,
        *,
        glossary: dict[str, str] | None = None,
        bounded: bool = False,
        by_key: dict[str, list[Citation]] | None = None,
    ) -> markup.Rendered:
        """``glossary``: the terms to link (``Term.objects.link_targets()``), when the caller
        renders many items at once; fetched here otherwise. ``bounded``: refused (``error``
        set) when over the renderer's caps or MARKUP_RENDER_SECONDS, for text just typed.
        ``by_key``: the citations of the claims the body cites (``registry_for_body``), which
        number the markers by source; fetched here otherwise."""
        if by_key is None:
            by_key = self.registry_for_body()
        sources = references.source_ids(by_key)
        terms = None
        if self.links_glossary_terms:
            if glossary is None:
                # By label: the glossary builds on this app.
                glossary = glossary_for(self.text_language)
            terms = glossary
        # The words the renderer adds (a reference's label) are in the text's language.
        with translation.override(self.text_language):
            return self._render(bounded, terms, sources)

    @property
    def text_language(self) -> str:
        return getattr(self, "language", ENGLISH)

    def _render(self, bounded: bool, terms, sources) -> markup.Rendered:
        if bounded:
            return markup.render_bounded(
                self.body,
                seconds=settings.MARKUP_RENDER_SECONDS,
                id_prefix=self.marker_id_prefix(),
                terms=terms,
                sources=sources,
            )
        return markup.render(
            self.body, id_prefix=self.marker_id_prefix(), terms=terms, sources=sources
        )

    def clean(self) -> None:
        super().clean()
        body = (self.body or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
        if body != self.body:
            self.body = body
        if len(self.body) > BODY_MAX_LENGTH:
            return  # the field's own validator says so; not worth rendering
        by_key = self.registry_for_body()
        rendered = self.render_body(bounded=True, by_key=by_key)
        self._checked_render = (self.body, rendered, by_key)
        errors = [rendered.error] if rendered.error else []
        if rendered.malformed_markers:
            errors.append(
                "Malformed claim marker "
                + ", ".join(rendered.malformed_markers)
                + ": write [@claim-key] or [@key-a; @key-b] with lowercase keys."
            )
        if rendered.bad_icon_arrays:
            errors.append(
                "Icon array "
                + ", ".join(rendered.bad_icon_arrays)
                + ": write [[icons N: words]] with N a whole number from 0 to 100."
            )
        unknown = unknown_claim_keys(rendered.claim_keys)
        if unknown and self.goes_public():
            errors.append(
                "Unknown claim key "
                + ", ".join(f"'{key}'" for key in unknown)
                + ": add the claim to the citation registry first, or fix the marker."
            )
        if errors:
            raise ValidationError({"body": errors})
