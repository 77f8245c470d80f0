"""Every shipped public page, rendered through the views as patients get it, has reference
numbers that lead to the sources behind what they mark, and back-links that lead back.

The pages come from the sitemap (every public page the site lists), and the check follows each
link the way a reader would (``citations/page_check.py``): a number to its entry, the entry's
source against the claims the number stands for, a back-link to its number, a list's count
against its entries.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ketamine_info.citations.page_check import check_page, claim_sources
from ketamine_info.decisions.models import Comparison

COMPARISON = "/compare/depression-not-responding/"


def public_paths(client) -> list[str]:
    sitemap = client.get("/sitemap.xml").content.decode()
    paths = [
        re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)
    ]
    return sorted(set(paths))


@pytest.mark.django_db
def test_every_shipped_page_numbers_its_references_right(client, shipped_content, record_property):
    paths = public_paths(client)
    # The page kinds a patient reads: if the sitemap lost one, this test would check nothing.
    for expected in (
        "/",
        "/faq/",
        "/glossary/",
        COMPARISON,
        "/learn/how-ketamine-works/",
        "/about/",
        "/sources/",
    ):
        assert expected in paths
    assert any(path.startswith("/sources/") and path != "/sources/" for path in paths)
    sources = claim_sources()
    failures = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        report = check_page(response.content.decode(), sources)
        if path in (COMPARISON, "/faq/", "/learn/how-well-does-it-work/"):
            record_property("figure", f"{path}: {report.summary()}")
        failures.extend(f"{path}: {problem}" for problem in report.problems)
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures[:60])


@pytest.mark.django_db
def test_the_comparison_page_has_its_numbers(client, shipped_content):
    """The page built from many cells has numbers, each naming its claims, and one list."""
    html = client.get(f"{COMPARISON}?all=1").content.decode()
    report = check_page(html, claim_sources())
    assert not report.problems
    assert report.numbers > 40
    assert report.shown_counts == [report.entries]
    assert report.highest_number == report.entries
    assert 'data-claims="' in html


@pytest.mark.parametrize("query", ["", "?o=1&o=4", "?q=h-serious-risks", "?o=2&q=h-serious-risks"])
def test_a_slice_of_the_comparison_lists_what_it_cites_under_the_aids_own_numbers(
    client, shipped_content, query
):
    """A slice shows some cells: its list holds the entries their numbers lead to, each under
    the number it has on the whole aid, and back-links only to numbers on the page."""
    whole = check_page(client.get(f"{COMPARISON}?all=1").content.decode(), claim_sources())
    html = client.get(f"{COMPARISON}{query}").content.decode()
    report = check_page(html, claim_sources())
    assert not report.problems, report.problems
    assert 0 < report.entries < whole.entries
    assert report.shown_counts == [report.entries]


def check_citations():
    out, err = StringIO(), StringIO()
    try:
        call_command("check_citations", stdout=out, stderr=err)
    except CommandError as error:
        return False, f"{error}\n{err.getvalue()}"
    return True, out.getvalue()


@pytest.mark.django_db
def test_check_citations_follows_the_numbers_on_the_shipped_pages(shipped_content):
    passed, output = check_citations()
    assert passed, output
    assert "Reference numbers followed on" in output


@pytest.mark.django_db
def test_check_citations_fails_when_a_page_number_leads_to_the_wrong_source(shipped_content):
    """As the decision aid did: a cell's number leading to another study's entry."""
    comparison = Comparison.objects.get(slug="depression-not-responding")
    cobalt = re.search(
        r'<a aria-label="Source \[(\d+)\]" class="claim-ref" '
        r'data-claims="cobalt-cbt-added-response" href="#ref-\d+" id="cite-\d+-\d+">\[\d+\]</a>',
        comparison.body_html,
    )
    wrong = (
        cobalt.group(0)
        .replace(f"[{cobalt.group(1)}]", "[1]")
        .replace(f'href="#ref-{cobalt.group(1)}"', 'href="#ref-1"')
    )
    Comparison.objects.filter(pk=comparison.pk).update(
        body_html=comparison.body_html.replace(cobalt.group(0), wrong)
    )
    passed, output = check_citations()
    assert not passed
    assert "number to the wrong source" in output and "cobalt-cbt-added-response" in output
    assert COMPARISON in output
