"""The live Markdown preview beside the body in the admin."""

import pytest
from django.test import Client

from tests.factories import ArticleFactory, CitationFactory

pytestmark = pytest.mark.django_db

URL = "/admin/markup-preview/"


def test_renders_sanitized_html_with_claims_resolved_and_unknown_keys_flagged(editor_client):
    CitationFactory(claim__key="known", claim__statement="A known statement.")
    response = editor_client.post(
        URL, {"body": "## Hi\n\nText.[@known] More.[@unknown-key] <script>x</script> [@Bad Key]"}
    )
    data = response.json()
    assert '<h2 id="h-hi">Hi</h2>' in data["html"]
    assert "<script>" not in data["html"]
    assert 'href="#ref-1"' in data["html"]
    assert data["references"] == [
        {"number": 1, "key": "known", "statement": "A known statement.", "known": True},
        {"number": 2, "key": "unknown-key", "statement": "", "known": False},
    ]
    assert data["unknown_keys"] == ["unknown-key"]
    assert data["malformed_markers"] == ["[@Bad Key]"]


def test_is_for_staff_only_and_csrf_protected(editor):
    assert Client().post(URL, {"body": "x"}).status_code == 302  # to the login
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(URL, {"body": "x"}).status_code == 403


def test_get_is_not_allowed(editor_client):
    assert editor_client.get(URL).status_code == 405


def test_the_article_form_loads_the_script_and_help(editor_client):
    article = ArticleFactory()
    html = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "admin/markup-preview.js" in html
    assert 'id="markup-preview"' in html and 'data-url="/admin/markup-preview/"' in html
    assert "Writing help" in html
