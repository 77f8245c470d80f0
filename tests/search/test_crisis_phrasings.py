"""Every phrasing in crisis_phrasings.yaml through the search page, on the shipped content.

A search in crisis words must open the main content with the full crisis box: its heading,
988 by call and text, the Spanish option and 911, before the page's heading, the search form
and every result. An ordinary question must not get it. The same test runs on PostgreSQL
(``make test-postgres``), where the results differ but the box must not.
"""

import re
from pathlib import Path

import pytest
import yaml

from ketamine_info.search.crisis import suggests_crisis

pytestmark = pytest.mark.django_db

PHRASINGS = yaml.safe_load((Path(__file__).parent / "crisis_phrasings.yaml").read_text())
BOX = '<aside class="crisis" aria-labelledby="crisis-heading-search">'
HEADING = '<h2 id="crisis-heading-search" class="crisis-title">'


def test_the_lists_are_long_enough():
    assert len(set(PHRASINGS["crisis"])) >= 100
    assert len(set(PHRASINGS["ordinary"])) >= 50
    assert not set(PHRASINGS["crisis"]) & set(PHRASINGS["ordinary"])
    assert len(set(PHRASINGS["crisis_es"])) >= 40
    assert len(set(PHRASINGS["ordinary_es"])) >= 25
    assert not set(PHRASINGS["crisis_es"]) & set(PHRASINGS["ordinary_es"])


def test_the_detector_knows_every_phrasing():
    """Without a page: which phrasings the detector misses or takes for a crisis."""
    crisis = PHRASINGS["crisis"] + PHRASINGS["crisis_es"]
    ordinary = PHRASINGS["ordinary"] + PHRASINGS["ordinary_es"]
    assert [q for q in crisis if not suggests_crisis(q)] == []
    assert [q for q in ordinary if suggests_crisis(q)] == []


def main_of(client, query, path="/search/") -> str:
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def box_first(main: str, query: str, lines=('href="tel:988"', 'href="sms:988"', 'href="tel:911"')):
    """Whether the full crisis box opens the main content (None) or what is wrong."""
    if BOX not in main:
        return "no box"
    box = main.index(BOX)
    # Nothing but the wrappers comes before it: no breadcrumbs, heading, form or result.
    before = re.sub(r"<main[^>]*>|<div class=\"wrap (prose|crisis-wrap)\">|\s", "", main[:box])
    end = main.index("</aside>", box)
    inside = main[box:end]
    assert before == "", query
    assert HEADING in inside, query
    for line in lines:
        assert line in inside, (query, line)
    assert end < main.index("<h1>"), query
    if 'class="search-results"' in main:
        assert end < main.index('class="search-results"'), query
    return None


def test_crisis_phrasings_bring_the_full_box_first(client, shipped_content):
    missed = []
    # A Spanish speaker may search from the English page too.
    for query in PHRASINGS["crisis"] + PHRASINGS["crisis_es"]:
        lines = ('href="tel:988"', 'href="sms:988"', 'href="tel:911"', "press 2", "AYUDA")
        if box_first(main_of(client, query), query, lines):
            missed.append(query)
    assert not missed, f"{len(missed)} crisis phrasings without the box: {missed}"


def test_spanish_crisis_phrasings_on_the_spanish_page(client, shipped_content, spanish_search):
    """The box's words are the Spanish edition's; its place and its numbers are the same."""
    missed = []
    for query in PHRASINGS["crisis_es"]:
        if box_first(main_of(client, query, spanish_search), query):
            missed.append(query)
    assert not missed, f"{len(missed)} Spanish crisis phrasings without the box: {missed}"
    ordinary = PHRASINGS["ordinary_es"]
    shown = [q for q in ordinary if BOX in main_of(client, q, spanish_search)]
    assert not shown, f"crisis box on ordinary Spanish questions: {shown}"


def test_ordinary_questions_do_not_get_it(client, shipped_content):
    ordinary = PHRASINGS["ordinary"] + PHRASINGS["ordinary_es"]
    shown = [q for q in ordinary if "crisis-heading-search" in main_of(client, q)]
    assert not shown, f"crisis box on ordinary questions: {shown}"
    # The short line stays at the top of these pages, as on every page.
    assert 'class="crisis crisis-top"' in main_of(client, PHRASINGS["ordinary"][0])


@pytest.mark.parametrize("query", ["no point living", "quiero morir", "lethal dose"])
def test_the_detector_itself(query):
    assert suggests_crisis(query)
