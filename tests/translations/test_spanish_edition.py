"""The Spanish edition as readers and search engines get it: every Spanish page in Spanish,
paired with its English, a switch to the other language on every page, and a plain line when
the English has changed since the translation was made."""

from __future__ import annotations

import json
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from ketamine_info.articles.models import Article
from ketamine_info.caching.invalidation import invalidate
from ketamine_info.contentsync.fileformat import ContentError
from ketamine_info.contentsync.sync import ContentErrors, load
from ketamine_info.faqs.models import Question
from ketamine_info.glossary.models import Term

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture(autouse=True)
def _site_url():
    with override_settings(SITE_URL=SITE):
        yield


def sitemap_paths(client) -> list[str]:
    xml = client.get("/sitemap.xml").content.decode()
    return [loc.removeprefix(SITE) for loc in re.findall(r"<loc>([^<]+)</loc>", xml)]


def alternates(html: str) -> dict[str, str]:
    return {
        code: href.removeprefix(SITE)
        for code, href in re.findall(
            r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html
        )
    }


def switch(html: str) -> str:
    found = re.search(r'<li class="language-switch"[^>]*>.*?</li>', html, re.S)
    assert found, "no language switch on the page"
    return found.group(0)


def test_every_spanish_page_is_spanish_paired_with_its_english_and_switches_to_it(
    client, shipped_content
):
    spanish = [path for path in sitemap_paths(client) if path.startswith("/es/")]
    # The home page, the lists, the six articles, the decision aid and three pages at least.
    assert len(spanish) >= 14, spanish
    for path in spanish:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert re.search(r'<html lang="es"', html), path
        assert response["Content-Language"] == "es", path
        pair = alternates(html)
        assert pair.get("es") == path, (path, pair)
        english = pair.get("en")
        assert english and not english.startswith("/es/"), (path, pair)
        assert pair.get("x-default") == english
        # The switch leads to the same page in English, named in English.
        assert f'href="{english}"' in switch(html), path
        assert 'lang="en"' in switch(html)
        # And the English page points back.
        back = client.get(english).content.decode()
        assert alternates(back).get("es") == path, english
        assert f'href="{path}"' in switch(back), english
        assert not response.cookies, path


def test_spanish_pages_use_spanish_addresses_and_link_spanish_glossary_terms(
    client, shipped_content
):
    article = Article.objects.get(language="es", translation_of__slug="how-ketamine-works")
    assert article.get_absolute_url() == "/es/aprender/como-actua-la-ketamina/"
    assert reverse("faqs:list") == "/faq/"
    html = client.get(article.get_absolute_url()).content.decode()
    term_links = re.findall(r'<a class="term" href="([^"]+)"', html)
    assert term_links, "the Spanish article links no glossary term"
    assert all(href.startswith("/es/glosario/#") for href in term_links), term_links
    # An English address never shows a Spanish article, nor the reverse.
    assert client.get("/learn/como-actua-la-ketamina/").status_code == 404
    assert client.get("/es/aprender/how-ketamine-works/").status_code == 404


def test_structured_data_names_the_language_and_the_english_it_translates(client, shipped_content):
    html = client.get("/es/aprender/que-esperar/").content.decode()
    blocks = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    ]
    page = next(b for b in blocks if b.get("@type") == "MedicalWebPage")
    assert page["inLanguage"] == "es-US"
    assert page["url"] == f"{SITE}/es/aprender/que-esperar/"
    assert page["translationOfWork"]["url"] == f"{SITE}/learn/what-to-expect/"
    assert '<meta property="og:locale" content="es_US">' in html


def test_the_sitemap_pairs_each_page_with_its_translation(client, shipped_content):
    xml = client.get("/sitemap.xml").content.decode()
    entry = re.search(
        r"<url><loc>http://testserver/es/aprender/que-esperar/</loc>.*?</url>", xml, re.S
    ).group(0)
    assert 'hreflang="en" href="http://testserver/learn/what-to-expect/"' in entry
    assert 'hreflang="es" href="http://testserver/es/aprender/que-esperar/"' in entry
    assert 'hreflang="x-default" href="http://testserver/learn/what-to-expect/"' in entry


def test_a_page_with_no_translation_yet_says_so_plainly_in_spanish(client, shipped_content):
    english = Article.objects.get(slug="how-ketamine-works")
    Article.objects.filter(language="es", translation_of=english).update(status="unpublished")
    html = client.get("/learn/how-ketamine-works/").content.decode()
    line = switch(html)
    assert 'lang="es"' in line
    assert "todavía no está en español" in line
    assert 'href="/es/"' in line
    # No hreflang pair for a page that exists in one language only.
    assert alternates(html) == {}


def change_english_in_substance(english) -> None:
    english.body += "\n\nOne more sentence.[@ketamine-anesthetic-since-1970]"
    save_live(english)


def save_live(item) -> None:
    """Saved as a published change reaches patients: the pages showing it are built again."""
    item.save()
    invalidate()


def test_a_spanish_page_whose_english_changed_says_so_and_links_to_it(client, shipped_content):
    english = Article.objects.get(slug="what-to-expect")
    spanish = english.translations.get(language="es")
    path = spanish.get_absolute_url()
    assert "translation-status" not in client.get(path).content.decode()

    # White space only is no change of substance.
    english.body = english.body.replace("\n\n", "\n\n\n", 1)
    save_live(english)
    assert "translation-status" not in client.get(path).content.decode()

    change_english_in_substance(english)
    english.refresh_from_db()
    html = client.get(path).content.decode()
    line = re.search(r'<p class="meta translation-status">.*?</p>', html, re.S).group(0)
    assert f'datetime="{english.last_updated.isoformat()}"' in line
    assert 'href="/learn/what-to-expect/"' in line
    assert "versión en inglés" in line

    # Brought up to date: the line goes.
    spanish.refresh_from_db()
    spanish.source_digest = english.source_text_digest()
    save_live(spanish)
    assert "translation-status" not in client.get(path).content.decode()


def test_the_review_dashboard_lists_translations_out_of_date(reviewer_client, shipped_content):
    question = Question.objects.get(slug="is-ketamine-addictive")
    spanish = question.translations.get(language="es")
    term = Term.objects.get(slug="placebo")
    dashboard = reverse("admin:review_dashboard")

    def listed() -> str:
        html = reviewer_client.get(dashboard).content.decode()
        return re.search(
            r'<div class="module" id="out-of-date-translations">.*?</div>', html, re.S
        ).group(0)

    assert str(spanish) not in listed()
    change_english_in_substance(question)
    term.body += " More."
    term.save()
    section = listed()
    assert str(spanish) in section
    assert "(Español)" in section
    assert term.translations.get(language="es").term in section
    assert "(2)" in re.search(r"<h2>.*?</h2>", section).group(0)


def test_the_admin_brings_a_translation_up_to_date(reviewer_client, shipped_content):
    term = Term.objects.get(slug="synapse")
    spanish = term.translations.get(language="es")
    term.body += " More."
    term.save()
    spanish.refresh_from_db()
    assert spanish.out_of_date
    url = reverse("admin:glossary_term_change", args=[spanish.pk])
    form = reviewer_client.get(url).content.decode()
    assert "Out of date: the English" in form
    version = re.search(r'name="opened_version" value="(\d+)"', form).group(1)
    response = reviewer_client.post(
        url,
        {
            "term": spanish.term,
            "slug": spanish.slug,
            "aliases": spanish.aliases,
            "body": spanish.body,
            "language": "es",
            "translation_of": term.pk,
            "brought_up_to_date": "on",
            "opened_version": version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    # A glossary term is public: the change waits for review, then carries the fingerprint.
    from ketamine_info.editorial.models import PendingChange

    change = PendingChange.objects.get(object_id=str(spanish.pk), state="open")
    assert change.values["source_digest"] == term.source_text_digest()


def test_a_spanish_file_naming_no_english_item_is_refused_and_changes_nothing(
    shipped_content, tmp_path, settings
):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    bad = content / "es" / "articles" / "que-esperar.md"
    bad.write_text(
        bad.read_text().replace("translation_of: what-to-expect", "translation_of: nope")
    )
    before = list(Article.objects.values_list("pk", "version"))
    with pytest.raises(ContentErrors) as failure:
        load(content, publish=True)
    assert "'translation_of': there is no English" in str(failure.value)
    assert "es/articles" in str(failure.value) or "que-esperar" in str(failure.value)
    assert list(Article.objects.values_list("pk", "version")) == before
    assert ContentError  # the error type each file's problem is reported as


def test_a_second_spanish_translation_of_the_same_english_is_refused(shipped_content):
    from django.core.exceptions import ValidationError

    english = Article.objects.get(slug="what-to-expect")
    twin = Article(
        slug="que-esperar-otra",
        title="Otra",
        summary="Otra.",
        topic=english.topic,
        body="Texto.",
        language="es",
        translation_of=english,
    )
    with pytest.raises(ValidationError) as failure:
        twin.full_clean()
    assert "already has a translation" in str(failure.value)


def test_a_spanish_page_cites_each_claim_in_spanish_and_marks_what_stays_english(
    client, shipped_content
):
    from ketamine_info.citations.models import Claim
    from ketamine_info.citations.rerender import rerender_stored_html

    claim = Claim.objects.get(key="ketamine-anesthetic-since-1970")
    spanish_page = "/es/aprender/como-actua-la-ketamina/"
    html = client.get(spanish_page).content.decode()
    references = html[html.index('class="reference-list"') :]
    assert claim.statement_es in references
    assert claim.statement not in references
    # The source is an English document: its title is marked as English.
    assert re.search(r'<a href="/es/fuentes/[a-z0-9-]+/" lang="en">', references)
    english = client.get("/learn/how-ketamine-works/").content.decode()
    assert claim.statement in english and claim.statement_es not in english
    assert ' lang="en"' not in english[english.index('class="reference-list"') :]

    # A claim with no Spanish wording yet: the English, marked as English.
    Claim.objects.filter(pk=claim.pk).update(statement_es="")
    rerender_stored_html()
    invalidate()
    html = client.get(spanish_page).content.decode()
    assert f'<span lang="en">{claim.statement}</span>' in html


def test_a_spanish_source_page_gives_the_claims_in_spanish(client, shipped_content):
    from ketamine_info.citations.models import Claim

    claim = Claim.objects.get(key="elektd-response-rates")
    html = client.get("/es/fuentes/anand-2023-elektd/").content.decode()
    assert f"<p>{claim.statement_es}</p>" in html
    assert re.search(r'<h1 lang="en">', html)
    # Only the pages of the reader's language are listed as stating it.
    stated = re.findall(r'<p class="used-on">.*?</p>', html, re.S)
    assert stated and all("/learn/" not in line for line in stated)
