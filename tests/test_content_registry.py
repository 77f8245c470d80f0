"""No kind of content reaches patients unreviewed by being left out of the registry.

The registry (``ketamine_info/registry.py``, each app's ``content.py``) is the one list of the
kinds patients see; review, search, contentsync, the sitemap and the evidence rules read it. So
the models whose rows reach a public page are worked out here without it, two ways:

- **by rendering**: every page in the sitemap, the list pages and a few searches are requested
  as a patient would, over the shipped content, and every table their queries read is noted
  (a table is read even when it has no rows, so a new model shown on a page shows up here the
  day it is added to a template or a view);
- **by their shape**: every model of the project's apps with a ``published()`` queryset, a body
  that cites claims or a review stamp.

Each model found must be a registered kind with review on, or rows whose review a registered
kind covers (a claim's citations, a contact block's opening hours), or one of the few models
named below that show no text of their own.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ketamine_info import registry
from ketamine_info.citations.models import CitingContent
from ketamine_info.publishing import ReviewStamp

# Read by public pages, but derived from reviewed content or showing no text of their own.
NOT_CONTENT = {
    # The search index: copies of the text of registered kinds, rebuilt from their public rows.
    "search.Document": "a copy of reviewed text (search index)",
    # An article's old address answers with a 301 to its current one; it shows nothing.
    "articles.SlugRedirect": "a redirect to a reviewed page",
}
SEARCHES = ["/search/?q=ketamine", "/search/?q=side+effects", "/search/?q=ketamin"]
TABLE_RE = re.compile(r'\b(?:FROM|JOIN)\s+"?([a-z0-9_]+)"?', re.IGNORECASE)


def project_models() -> list:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.startswith("ketamine_info.")
        and not model.__name__.startswith("Historical")
    ]


def public_paths(client) -> list[str]:
    sitemap = client.get("/sitemap.xml").content.decode()
    paths = [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    return [*dict.fromkeys([*paths, "/faq/", "/glossary/", "/sources/", *SEARCHES])]


def models_read_by_public_pages() -> set:
    """The project's models whose tables the public pages read."""
    client = Client()
    by_table = {model._meta.db_table: model for model in project_models()}
    tables: set[str] = set()
    for path in public_paths(client):
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        for query in queries.captured_queries:
            tables.update(TABLE_RE.findall(query["sql"]))
    return {by_table[table] for table in tables if table in by_table}


def models_shaped_as_content() -> set:
    return {
        model
        for model in project_models()
        if hasattr(model._default_manager, "published")
        or issubclass(model, CitingContent | ReviewStamp)
    }


def unreviewed(models, kinds) -> list[str]:
    """The models among ``models`` that a patient could see without a reviewer's publish."""
    reviewed = {kind.model._meta.label for kind in kinds if kind.reviewed}
    covered = {label for kind in kinds if kind.reviewed for label in kind.covers}
    problems = []
    for model in models:
        label = model._meta.label
        if model._meta.auto_created:  # a many-to-many table: its two ends are checked
            continue
        if label in reviewed or label in covered or label in NOT_CONTENT:
            continue
        problems.append(label)
    return sorted(problems)


@pytest.fixture
def read_by_pages(shipped_content):
    return models_read_by_public_pages()


def test_every_model_public_pages_read_is_a_reviewed_kind(read_by_pages):
    # The derivation finds the kinds it should: the check below is not empty-handed.
    labels = {model._meta.label for model in read_by_pages}
    assert labels >= {
        "articles.Article",
        "faqs.Question",
        "citations.Claim",
        "citations.Citation",
        "citations.Source",
        "glossary.Term",
        "pages.Page",
        "decisions.Comparison",
        "clinics.ContactBlock",
    }
    assert unreviewed(read_by_pages, registry.kinds()) == []


def test_every_model_shaped_as_content_is_a_reviewed_kind(db):
    shaped = models_shaped_as_content()
    assert len(shaped) >= 6
    assert unreviewed(shaped, registry.kinds()) == []


def test_a_kind_left_out_of_the_registry_or_not_reviewed_is_caught(read_by_pages):
    """What the two tests above do when someone adds a public model and forgets to declare
    it (or declares it without review): the model is named."""
    kinds = registry.kinds()
    without_sources = [kind for kind in kinds if kind.model._meta.label != "citations.Source"]
    assert unreviewed(read_by_pages, without_sources) == ["citations.Source"]
    assert unreviewed(models_shaped_as_content(), without_sources) == []  # a source has no body

    without_terms = [kind for kind in kinds if kind.model._meta.label != "glossary.Term"]
    assert "glossary.Term" in unreviewed(models_shaped_as_content(), without_terms)

    class Unreviewed(type(kinds[0])):
        reviewed = False

    switched_off = [Unreviewed(), *kinds[1:]]
    assert unreviewed(read_by_pages, switched_off) == [kinds[0].model._meta.label]

    without_claims = [kind for kind in kinds if kind.model._meta.label != "citations.Claim"]
    # The claim's citations go with it: they are covered by the claim's review only.
    assert unreviewed(read_by_pages, without_claims) == ["citations.Citation", "citations.Claim"]


def test_each_kind_is_declared_once_and_every_reader_uses_the_registry(db):
    from ketamine_info.citations.models import citing_models
    from ketamine_info.contentsync.sync import content_kinds
    from ketamine_info.editorial import review
    from ketamine_info.search import documents
    from ketamine_info.sitemaps import SITEMAPS

    labels = registry.labels()
    assert len(labels) == len(set(labels))
    assert all(review.is_reviewed(model) for model in registry.models())
    # Each kind's files, and each translated kind's files in every other language.
    assert {kind.name for kind in content_kinds()} == {
        kind.name for kind in registry.kinds() if kind.name
    } | {
        f"{language}/{kind.name}"
        for kind in registry.kinds()
        if kind.name and kind.translatable
        for language, _ in settings.LANGUAGES
        if language != "en"
    }
    assert {entry.model for entry in documents.INDEXED} == {
        kind.model for kind in registry.kinds() if kind.search_kind
    }
    assert set(citing_models()) == {
        model for model in registry.models() if issubclass(model, CitingContent)
    }
    own_pages = {kind.model for kind in registry.kinds() if kind.own_page}
    assert {s.kind.model for s in SITEMAPS.values() if hasattr(s, "kind")} == own_pages
