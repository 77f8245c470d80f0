"""Every public page is in search, found by its own words and by the words patients use for
them; a search that finds nothing still leads somewhere, with the crisis line on top."""

import re

import pytest

from ketamine_info.decisions.models import Comparison
from ketamine_info.pages.models import Page
from ketamine_info.search.models import Document
from ketamine_info.topics import Topic

pytestmark = pytest.mark.django_db

AID = "/compare/depression-not-responding/"
FOUND_BY = {
    AID: [
        "compare your options",
        "compare treatments",
        "tms or ketamine",
        "rTMS",
        "TMS",
        "ECT",
        "aripiprazole",
        "lithium",
        "CBT",
        "talking therapy",
    ],
    "/what-matters-to-you/": ["worksheet", "what matters to me", "weigh my options"],
    "/questions-to-ask/": ["questions to ask my doctor", "questions to ask"],
    "/about/": ["who runs this site", "about this site", "privacy", "report a mistake"],
}


def top_three(client, query) -> list[str]:
    html = client.get("/search/", {"q": query}).content.decode()
    results = html[html.index('<ol class="search-results">') :] if "search-results" in html else ""
    return re.findall(r'<h2><a href="([^"]+)"', results)[:3]


def test_every_page_and_decision_aid_is_indexed(shipped_content):
    for kind, model in [(Document.Kind.PAGE, Page), (Document.Kind.COMPARISON, Comparison)]:
        ids = set(model.objects.values_list("pk", flat=True))
        assert ids and ids == set(
            Document.objects.filter(kind=kind).values_list("object_id", flat=True)
        )


@pytest.mark.parametrize(
    ("address", "query"), [(a, q) for a, queries in FOUND_BY.items() for q in queries]
)
def test_found_by_its_words_and_synonyms(client, shipped_content, address, query):
    assert address in top_three(client, query)


def test_a_decision_aid_cell_is_found_by_its_words(client, shipped_content):
    # Words that are only in the cells of the grid, not its title or headings.
    assert AID in top_three(client, "cobalt trial")


def test_a_search_that_finds_nothing_leads_somewhere(client, shipped_content):
    html = client.get("/search/", {"q": "zzqxv wuggle"}).content.decode()
    main = html[html.index('<main id="main"') :]
    assert "Nothing on this site matches" in main
    # The crisis line stays first.
    assert main.index('class="crisis crisis-top"') < main.index("<h1>")
    pages = main[main.index('id="search-next-pages"') :]
    for address in ["/learn/how-ketamine-works/", AID, "/questions-to-ask/"]:
        assert f'href="{address}"' in pages, address
    for topic in Topic:
        assert f'href="/faq/#topic-{topic.value}"' in main
    assert 'href="/glossary/"' in main[main.index('id="search-next-words"') :]
