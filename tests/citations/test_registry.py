"""The citation registry: references on pages, registry pages, integrity checks, the admin."""

import re
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from ketamine_info.articles.models import Article
from ketamine_info.citations.models import Citation, Source
from tests.factories import ArticleFactory, CitationFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def check():
    out, err = StringIO(), StringIO()
    call_command("check_citations", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def failing_check():
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("check_citations", stdout=StringIO(), stderr=err)
    return str(error.value) + "\n" + err.getvalue()


def _marker_numbers(html: str) -> list[list[str]]:
    """The numbers of each marker group in the page's text, in order."""
    groups = re.findall(r'<sup class="claim-refs">(.*?)</sup>', html)
    return [re.findall(r">\[(\d+)\]</a>", group) for group in groups]


def test_references_number_sources_by_first_use_with_the_claims_they_support(client):
    trial = SourceFactory(kind="trial", title="A trial", publisher="NEJM", published="2023-05-24")
    label = SourceFactory(kind="regulator", title="A label", publisher="FDA", doi="10.1000/x.1")
    first = CitationFactory(source=trial, claim__statement="First claim.").claim
    second = CitationFactory(source=label, claim__statement="Second claim.").claim
    CitationFactory(claim=second, source=trial, locator="Table 2", position=1)
    ArticleFactory(
        slug="page",
        body=f"One.[@{second.key}]\n\nTwo.[@{first.key}]\n\nAgain.[@{second.key}; @{first.key}]",
    )
    html = client.get("/learn/page/").content.decode()
    text, refs = html.split('<details class="references">')
    # Numbers are sources: the trial backs both claims, so "Again" shows it once.
    assert _marker_numbers(text) == [["1", "2"], ["2"], ["1", "2"]]
    assert 'href="#ref-2" id="cite-2-3">[2]</a>' in text
    # Folded, saying how many sources it holds.
    assert 'References <span class="references-count">(2 sources)</span>' in refs
    # Each source once, with the claims it supports under it.
    assert refs.count(">A trial</a>") == 1 and refs.count(">A label</a>") == 1
    label_entry = refs[refs.index('<li id="ref-1">') : refs.index('<li id="ref-2">')]
    trial_entry = refs[refs.index('<li id="ref-2">') : refs.index("</ol>")]
    assert ">A label</a>" in label_entry and "First claim." not in label_entry
    assert trial_entry.index("Second claim.") < trial_entry.index("First claim.")
    assert "Table 2" in trial_entry and "Table 2" not in label_entry
    # Every use links back, to the marker it came from.
    assert 'href="#cite-1-1"' in label_entry and 'href="#cite-1-2"' in label_entry
    first_claim = trial_entry[trial_entry.index("First claim.") :]
    assert 'href="#cite-2-2"' in first_claim and 'href="#cite-2-3"' in first_claim
    assert "Regulator document" in label_entry and "Clinical trial" in trial_entry
    assert "NEJM, 2023" in trial_entry
    assert f'href="{label.get_absolute_url()}"' in label_entry
    assert 'href="https://doi.org/10.1000/x.1"' in label_entry
    # Every link on the page lands on something.
    ids = set(re.findall(r' id="([^"]+)"', html))
    assert {href for href in re.findall(r'href="#([^"]+)"', html)} <= ids


def test_a_claim_is_marked_once_per_paragraph(client):
    a = CitationFactory(claim__statement="Claim A.").claim
    b = CitationFactory(claim__statement="Claim B.").claim
    body = (
        f"One.[@{a.key}] Two.[@{a.key}; @{b.key}] Three.[@{a.key}]\n\n"
        f"New paragraph.[@{a.key}]\n\n- Item.[@{b.key}] Same item.[@{b.key}]\n- Next.[@{b.key}]"
    )
    article = ArticleFactory(slug="page", body=body)
    assert _marker_numbers(article.body_html) == [["1"], ["2"], ["1"], ["2"], ["2"]]
    assert "Three.</p>" in article.body_html  # no empty marker left behind
    html = client.get("/learn/page/").content.decode()
    assert _marker_numbers(html.split("<details")[0]) == [["1"], ["2"], ["1"], ["2"], ["2"]]
    # Backlinks count the marks that are left.
    assert 'id="cite-1-2"' in html and 'id="cite-1-3"' not in html
    assert 'id="cite-2-3"' in html and 'href="#cite-2-3"' in html


def test_a_claim_without_a_source_is_listed_not_dropped(client):
    claim = ClaimFactory(statement="Not yet sourced.")
    article = ArticleFactory.build(slug="draft", body=f"Text.[@{claim.key}]")
    article.save()
    html = client.get("/learn/draft/").content.decode()
    refs = html.split('<details class="references">')[1]
    # Named by its key: check_citations refuses to let such a page be published.
    assert "No source is recorded for this yet." in refs and claim.key in refs


def test_shipped_content_passes_check_citations(shipped_content):
    output = check()
    assert "Citations OK" in output


def test_shipped_content_registers_and_cites_every_seed(shipped_content):
    seeds = Source.objects.filter(kind=Source.Kind.CLINIC)
    assert seeds.count() == 5
    for seed in seeds:
        assert seed.citations.exists(), seed.key
    strong = Source.objects.exclude(kind=Source.Kind.CLINIC).exclude(doi="", pmid="", url="")
    assert strong.count() >= 8


def test_shipped_pages_have_references_and_every_paragraph_is_cited(shipped_content, client):
    for article in Article.objects.published():
        html = client.get(article.get_absolute_url()).content.decode()
        assert 'class="references"' in html, article.slug
        assert article.claim_keys, article.slug


def test_check_flags_a_marker_naming_an_unknown_claim():
    claim = CitationFactory().claim
    article = ArticleFactory(body=f"Fine.[@{claim.key}]")
    Article.objects.filter(pk=article.pk).update(body="Broken.[@no-such-claim]")
    output = failing_check()
    assert "cites [@no-such-claim], which is not a claim" in output


def test_check_flags_a_claim_without_citation():
    claim = ClaimFactory(key="orphan-claim")
    ArticleFactory(body=f"Text.[@{claim.key}]")
    assert "claim 'orphan-claim' cites no source" in failing_check()


def test_check_flags_an_unused_claim():
    CitationFactory(claim__key="nobody-uses-me")
    assert "claim 'nobody-uses-me' is not cited by any page" in failing_check()


def test_check_flags_an_uncited_source():
    claim = CitationFactory().claim
    ArticleFactory(body=f"Text.[@{claim.key}]")
    SourceFactory(key="lonely-source")
    assert "source 'lonely-source' is cited by no claim" in failing_check()


def test_check_passes_on_a_consistent_registry():
    claim = CitationFactory().claim
    ArticleFactory(body=f"Text.[@{claim.key}]")
    assert "Citations OK: 1 claims, 1 sources." in check()


def test_claim_knows_the_pages_that_use_it():
    claim = CitationFactory().claim
    article = ArticleFactory(body=f"Text.[@{claim.key}]")
    ArticleFactory(body="No markers.")
    assert claim.used_on() == [article]
    article.body = "Claim removed."
    article.save()
    assert claim.used_on() == []


def test_excerpt_longer_than_300_characters_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    citation = CitationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.filter(pk=citation.pk).update(excerpt="x" * 301)


def article_form(**overrides):
    data = {
        "title": "New page",
        "slug": "new-page",
        "summary": "Short.",
        "topic": "about",
        "position": 1,
        "status": "review",
        "body": "Text.",
    }
    data.update(overrides)
    return data


def test_a_draft_naming_an_unknown_claim_is_kept_with_a_warning_but_cannot_be_published(
    staff_client,
):
    claim = CitationFactory().claim
    response = staff_client.post(
        "/admin/articles/article/add/",
        article_form(body=f"Good.[@{claim.key}] Bad.[@made-up-claim]"),
        follow=True,
    )
    assert "not in the registry: made-up-claim" in response.content.decode()
    article = Article.objects.get(slug="new-page")  # work in progress is never lost
    assert article.status == "review"
    page = f"/admin/review/publish/?ct={ContentType.objects.get_for_model(Article).pk}"
    response = staff_client.post(
        f"{page}&ids={article.pk}", {"confirm": "on", "credentials": "Dana Lee, MD"}
    )
    assert "Unknown claim key &#x27;made-up-claim&#x27;" in response.content.decode()
    article.refresh_from_db()
    assert article.status == "review" and article.last_reviewed is None


def test_admin_refuses_a_malformed_marker(staff_client):
    response = staff_client.post(
        "/admin/articles/article/add/", article_form(body="Bad.[@Not A Key]")
    )
    assert "Malformed claim marker [@Not A Key]" in response.content.decode()
    assert not Article.objects.exists()


def test_admin_saves_an_article_with_known_claims_and_renders_it(staff_client):
    claim = CitationFactory().claim
    response = staff_client.post(
        "/admin/articles/article/add/", article_form(body=f"Good.[@{claim.key}]")
    )
    assert response.status_code == 302
    article = Article.objects.get(slug="new-page")
    assert article.claim_keys == [claim.key]
    assert 'href="#ref-1"' in article.body_html


def test_claim_admin_shows_used_on_and_citations_inline(staff_client):
    citation = CitationFactory()
    article = ArticleFactory(body=f"Text.[@{citation.claim.key}]")
    html = staff_client.get(f"/admin/citations/claim/{citation.claim.pk}/change/").content.decode()
    assert f'href="{article.get_absolute_url()}"' in html
    assert "citations-0-source" in html


def test_source_admin_search_and_kind_filter(staff_client):
    SourceFactory(title="Esketamine label", kind="regulator")
    SourceFactory(title="Some trial", kind="trial")
    html = staff_client.get("/admin/citations/source/?q=esketamine").content.decode()
    assert "Esketamine label" in html and "Some trial" not in html
    html = staff_client.get("/admin/citations/source/?kind__exact=trial").content.decode()
    assert "Some trial" in html and "Esketamine label" not in html


def test_claim_statement_edit_shows_on_the_page(client):
    citation = CitationFactory(claim__statement="Old wording.")
    article = ArticleFactory(body=f"Text.[@{citation.claim.key}]")
    claim = citation.claim
    claim.statement = "New wording."
    claim.save()
    assert "New wording." in client.get(article.get_absolute_url()).content.decode()


def test_admin_edit_with_windows_line_endings_exports_cleanly(staff_client, tmp_path):
    claim = CitationFactory().claim
    staff_client.post(
        "/admin/articles/article/add/",
        article_form(body=f"## Part\r\n\r\nGood.[@{claim.key}]\r\nMore."),
    )
    article = Article.objects.get(slug="new-page")
    assert "\r" not in article.body
    call_command("export_content", str(tmp_path), stdout=StringIO())
    call_command("load_content", str(tmp_path), "--publish", stdout=StringIO())  # refuses CR


def test_source_admin_adds_a_source(staff_client, reviewer):
    response = staff_client.post(
        "/admin/citations/source/add/",
        {
            "key": "new-label",
            "title": "A label",
            "kind": "regulator",
            "publisher": "FDA",
            "url": "www.fda.gov/label",
            "doi": "",
            "pmid": "",
        },
    )
    assert response.status_code == 302
    # A new source is public once stored: it waits for review, then goes live as typed.
    assert not Source.objects.filter(key="new-label").exists()
    from ketamine_info.editorial import review
    from ketamine_info.editorial.models import PendingChange

    review.publish(PendingChange.objects.get(), reviewer, confirmed=True, credentials="Dana Lee")
    assert Source.objects.get(key="new-label").url == "https://www.fda.gov/label"


def test_rerender_markup_refreshes_stale_html_without_touching_text_or_dates():
    claim = CitationFactory().claim
    article = ArticleFactory(body=f"Text.[@{claim.key}]")
    Article.objects.filter(pk=article.pk).update(body_html="<p>stale</p>")
    updated = Article.objects.get(pk=article.pk).updated
    out = StringIO()
    call_command("rerender_markup", stdout=out)
    assert "re-rendered 1 item(s)" in out.getvalue()
    article.refresh_from_db()
    assert 'href="#ref-1"' in article.body_html
    assert article.updated == updated
    out = StringIO()
    call_command("rerender_markup", stdout=out)
    assert "re-rendered 0 item(s)" in out.getvalue()
