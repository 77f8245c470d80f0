"""What search engines read: sitemap, robots.txt, canonical and meta tags, JSON-LD, redirects."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from ketamine_info.articles.models import Article
from ketamine_info.faqs.models import Question
from tests.factories import ArticleFactory, CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db
SITE = "https://ketamine.example.org"  # tests/settings.py SITE_URL


class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self.h1 = {}, {}, [], 0
        self.lang = None
        self._in_ld = False
        self._title = False
        self.title = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "meta":
            self.meta[a.get("name") or a.get("property")] = a.get("content")
        if tag == "link":
            self.links[a.get("rel")] = a.get("href")
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")
        if tag == "h1":
            self.h1 += 1
        if tag == "title":
            self._title = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False
        if tag == "title":
            self._title = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data
        if self._title:
            self.title += data


def parse(response):
    parser = HeadParser()
    parser.feed(response.content.decode())
    parser.blocks = [json.loads(block) for block in parser.json_ld]
    return parser


def by_type(page, kind):
    found = [b for b in page.blocks if b["@type"] == kind]
    assert len(found) == 1, f"expected one {kind} block, got {len(found)}"
    return found[0]


@pytest.fixture
def site(db):
    citation = CitationFactory()
    article = ArticleFactory(
        slug="how-it-works",
        title="How it works",
        summary="What it is and how it may work.",
        body=f"Text.[@{citation.claim.key}]",
    )
    ArticleFactory(slug="a-draft", status="draft")
    Question.objects.create(
        slug="is-it-fast",
        question="Is it fast?",
        topic="about",
        position=1,
        status="published",
        body=f"Often within a day.[@{citation.claim.key}]",
    )
    return {"article": article, "source": citation.source}


PAGES = ["/", "/learn/how-it-works/", "/faq/", "/glossary/", "/sources/"]


def test_every_page_type_has_unique_title_description_canonical_and_social_tags(client, site):
    pages = [*PAGES, site["source"].get_absolute_url()]
    titles = set()
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        page = parse(response)
        assert page.lang == "en"
        assert page.h1 == 1, path
        assert page.title and page.title not in titles, path
        titles.add(page.title)
        assert page.meta["description"], path
        assert len(page.meta["description"]) <= 160
        assert page.links["canonical"] == SITE + path
        assert page.meta["og:url"] == SITE + path
        assert page.meta["og:title"] and page.meta["og:description"]
        assert page.meta["twitter:card"] == "summary"
        assert "robots" not in page.meta


def test_canonical_ignores_query_strings_and_host(client, site):
    page = parse(client.get("/learn/how-it-works/?utm_source=x", HTTP_HOST="localhost"))
    assert page.links["canonical"] == SITE + "/learn/how-it-works/"


def test_article_meta_description_is_its_summary(client, site):
    page = parse(client.get("/learn/how-it-works/"))
    assert page.meta["description"] == "What it is and how it may work."


def test_article_structured_data(client, site):
    page = parse(client.get("/learn/how-it-works/"))
    data = by_type(page, "MedicalWebPage")
    assert data["name"] == "How it works"
    assert data["description"] == "What it is and how it may work."
    assert data["url"] == SITE + "/learn/how-it-works/"
    assert {a["name"] for a in data["about"]} == {"Ketamine", "Depression"}
    assert data["audience"]["audienceType"] == "Patient"
    crumbs = by_type(page, "BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "How it works"]
    assert crumbs[-1]["item"] == SITE + "/learn/how-it-works/"


def test_home_has_website_structured_data(client, site):
    data = by_type(parse(client.get("/")), "WebSite")
    assert data["url"] == SITE + "/"


def test_visible_breadcrumb_on_inner_pages(client, site):
    html = client.get("/faq/").content.decode()
    assert '<nav class="breadcrumbs wrap" aria-label="Breadcrumb">' in html
    assert '<a href="/faq/" aria-current="page">Questions and answers</a>' in html


HOSTILE = "Quotes \" and ' and </script><script>alert(1)</script> & emoji 😌"


def test_json_ld_is_valid_whatever_staff_type(client, db):
    citation = CitationFactory()
    ArticleFactory(slug="hostile", title=HOSTILE[:200], summary=HOSTILE[:160], body="Text.")
    Question.objects.create(
        slug="hostile-q",
        question=HOSTILE,
        topic="about",
        position=1,
        status="published",
        body=f"{HOSTILE}[@{citation.claim.key}]",
    )
    for path in ["/learn/hostile/", "/faq/"]:
        html = client.get(path).content.decode()
        assert "<script>alert(1)</script>" not in html
        page = parse(client.get(path))
        assert page.blocks  # every block parsed as JSON
        names = json.dumps(page.blocks, ensure_ascii=False)
        assert "</script><script>alert(1)</script>" in names  # kept as data, not markup


def test_sitemap_lists_public_pages_with_lastmod_and_no_drafts(client, site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring(response.content)
    entries = {
        url.find("s:loc", ns).text: url.find("s:lastmod", ns) for url in root.findall("s:url", ns)
    }
    expected = [SITE + p for p in [*PAGES, site["source"].get_absolute_url()]]
    assert set(expected) <= set(entries)
    assert SITE + "/learn/a-draft/" not in entries
    assert all(loc.startswith(SITE) for loc in entries)
    lastmod = entries[SITE + "/learn/how-it-works/"].text
    assert lastmod.startswith(site["article"].updated.date().isoformat())


def test_sitemap_lastmod_follows_real_changes(client, site):
    article = site["article"]
    Article.objects.filter(pk=article.pk).update(updated="2030-01-02T15:04:05Z")
    assert b"<lastmod>2030-01-02" in client.get("/sitemap.xml").content


def test_robots_txt(client, site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "User-agent: *" in body
    assert "Allow: /" in body
    assert "Disallow: /admin/" in body
    assert f"Sitemap: {SITE}/sitemap.xml" in body


def test_renamed_article_answers_301_after_one_and_two_renames(client, site):
    article = site["article"]
    article.slug = "how-ketamine-works"
    article.save()
    response = client.get("/learn/how-it-works/")
    assert response.status_code == 301
    assert response["Location"] == "/learn/how-ketamine-works/"

    article.slug = "how-ketamine-may-work"
    article.save()
    for old in ["/learn/how-it-works/", "/learn/how-ketamine-works/"]:
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == "/learn/how-ketamine-may-work/"  # one hop, no chain
    assert client.get("/learn/how-ketamine-may-work/").status_code == 200


def test_renaming_back_does_not_loop(client, site):
    article = site["article"]
    article.slug = "new-name"
    article.save()
    article.slug = "how-it-works"
    article.save()
    assert client.get("/learn/how-it-works/").status_code == 200
    response = client.get("/learn/new-name/")
    assert response.status_code == 301
    assert response["Location"] == "/learn/how-it-works/"


def test_old_address_of_an_unpublished_article_is_404(client, site):
    article = site["article"]
    article.slug = "renamed"
    article.status = "unpublished"
    article.save()
    assert client.get("/learn/how-it-works/").status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_revalidation_without_change_answers_304_with_no_body(client, site, path):
    first = client.get(path)
    etag = first["ETag"]
    assert etag
    again = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_a_change_gives_a_new_etag(client, site, reviewer, django_capture_on_commit_callbacks):
    from ketamine_info.editorial import review

    etag = client.get("/learn/how-it-works/")["ETag"]
    article = site["article"]
    change = review.propose(type(article), {"title": "How it may work"}, live=article)
    with django_capture_on_commit_callbacks(execute=True):
        review.publish(change, reviewer, confirmed=True, credentials="Dana Lee, MD")
    response = client.get("/learn/how-it-works/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200


def test_404_page_is_helpful_and_noindex(client, site):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html
    for link in ['href="/learn/how-it-works/"', 'href="/faq/"', 'href="/glossary/"']:
        assert link in html


def test_500_page_renders_without_a_database(client, settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert 'href="tel:988"' in html
    assert re.search(r"<h1", html)


def test_source_page_shows_claims_and_pages(client, site):
    source = site["source"]
    html = client.get(source.get_absolute_url()).content.decode()
    assert source.title in html
    assert 'href="/learn/how-it-works/"' in html
    assert 'href="/faq/#is-it-fast"' in html
    assert client.get("/sources/no-such-source/").status_code == 404


def test_sources_list_groups_by_kind_with_counts(client, site):
    SourceFactory(key="uncited", kind="regulator", title="An uncited label")
    html = client.get("/sources/").content.decode()
    assert '<h2 id="kind-trial">Clinical trial</h2>' in html
    assert '<h2 id="kind-regulator">Regulator document</h2>' in html
    assert "Cited by 1 statement." in html
    assert "Cited by 0 statements." in html


# --- compression ----------------------------------------------------------------------------


def test_public_pages_are_gzipped_with_a_weak_etag(client, site):
    response = client.get("/faq/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert response["ETag"].startswith('W/"')
    assert "Cookie" not in response.get("Vary", "")
    # The ETag still answers a revalidation with 304.
    again = client.get("/faq/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_pages_with_a_csrf_token_are_never_gzipped(client, db):
    response = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


def test_admin_pages_for_staff_are_never_gzipped(staff_client, site):
    response = staff_client.get("/admin/articles/article/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
