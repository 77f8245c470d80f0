"""Search in two languages: each document carries its item's language, a reader's own language
comes first, accents never matter, and "did you mean" offers words of the reader's language.

The same tests run on PostgreSQL (``make test-postgres``), where Spanish documents are matched
with the 'spanish' configuration plus unaccent and English ones keep 'english'.
"""

import pytest
from django.utils import translation

from ketamine_info.faqs.models import Question
from ketamine_info.glossary.models import Term
from ketamine_info.search.backends import search
from ketamine_info.search.models import Document, Synonym
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def question(**kwargs):
    defaults = {"topic": "about", "position": 1, "status": "published"}
    return Question.objects.create(**{**defaults, **kwargs})


@pytest.fixture
def pages(db):
    english = ArticleFactory(
        slug="side-effects",
        title="Side effects of Spravato",
        body="## Common ones\n\nNausea, dizziness and a high blood pressure for a while.",
    )
    spanish = ArticleFactory(
        slug="efectos-secundarios",
        title="Efectos secundarios de Spravato",
        body="## Los más comunes\n\nNáuseas, mareo y la presión arterial alta por un rato. "
        "Los efectos secundarios suelen pasar pronto.",
        language="es",
        translation_of=english,
    )
    term_en = Term.objects.create(
        slug="anesthetic", term="Anesthetic", body="A medicine used to put people to sleep."
    )
    term_es = Term.objects.create(
        slug="anestesico",
        term="Anestésico",
        body="Un medicamento que se usa para dormir a las personas antes de una operación.",
        language="es",
        translation_of=term_en,
    )
    faq_en = question(
        slug="how-long-is-a-visit", question="How long is a visit?", body="About two hours."
    )
    faq_es = question(
        slug="cuanto-dura-una-visita",
        question="¿Cuánto dura una visita?",
        body="Unas dos horas, con la observación después de la sesión.",
        language="es",
        translation_of=faq_en,
    )
    return locals()


def urls(query, language):
    return [hit.url for hit in search(query, language=language).hits]


def test_documents_carry_their_items_language(pages):
    languages = dict(Document.objects.values_list("title", "language"))
    assert languages["Side effects of Spravato"] == "en"
    assert languages["Efectos secundarios de Spravato"] == "es"
    assert languages["Anestésico"] == "es"
    assert languages["¿Cuánto dura una visita?"] == "es"


def test_the_readers_language_comes_first_and_links_go_to_each_items_own_page(pages):
    spanish, english = pages["spanish"], pages["english"]
    assert urls("spravato", "es") == [spanish.get_absolute_url(), english.get_absolute_url()]
    # English is the whole edition: an English reader gets the translations only when no
    # English page matches.
    assert urls("spravato", "en") == [english.get_absolute_url()]
    assert urls("efectos secundarios", "en")[0] == spanish.get_absolute_url()
    assert spanish.get_absolute_url().startswith("/es/")
    assert pages["faq_es"].get_absolute_url() in urls("visita", "es")
    assert pages["faq_es"].get_absolute_url().startswith("/es/")


def test_the_active_language_is_the_readers_by_default(pages):
    with translation.override("es"):
        assert urls("spravato", None)[0] == pages["spanish"].get_absolute_url()
    assert urls("spravato", None)[0] == pages["english"].get_absolute_url()


def test_the_spanish_search_page_lists_spanish_results_first(client, pages, spanish_search):
    html = client.get(spanish_search, {"q": "spravato"}).content.decode()
    results = html[html.index('class="search-results"') :]
    spanish, english = pages["spanish"].get_absolute_url(), pages["english"].get_absolute_url()
    assert results.index(f'href="{spanish}"') < results.index(f'href="{english}"')
    # A result in the other language says so, for a screen reader's voice.
    english_hit = results[: results.index(f'href="{english}"')].rsplit("<li", 1)[1]
    spanish_hit = results[: results.index(f'href="{spanish}"')].rsplit("<li", 1)[1]
    assert 'lang="en"' in english_hit
    assert "lang=" not in spanish_hit


@pytest.mark.parametrize("query", ["anestesico", "ANESTESICO", "anestésico", "Anestésico"])
def test_accents_never_matter(pages, query):
    assert urls(query, "es")[0] == pages["term_es"].get_absolute_url()


def test_words_typed_without_accents_find_words_written_with_them(pages):
    # "náuseas", "presión", "operación" are written with accents.
    assert pages["spanish"].get_absolute_url() in urls("nauseas presion", "es")
    assert urls("operacion", "es") == [pages["term_es"].get_absolute_url()]
    assert urls("sesion observacion", "es") == [pages["faq_es"].get_absolute_url()]


def test_a_synonym_written_with_accents_is_found_without_them(pages):
    Synonym.objects.create(key="es-mareo", term="mareo", variants="vértigo\nmareos")
    assert urls("vertigo", "es")[0] == pages["spanish"].get_absolute_url()
    Synonym.objects.create(key="es-anestesico", term="anestésico", variants="anestesia")
    assert urls("anestesia", "es")[0] == pages["term_es"].get_absolute_url()


def test_spanish_small_words_are_left_out(pages):
    # "la", "de", "una" are on nearly every Spanish page; what is left must all match.
    assert urls("¿cuánto dura una visita?", "es")[0] == pages["faq_es"].get_absolute_url()
    assert urls("efectos secundarios de la spravato", "es")[0] == (
        pages["spanish"].get_absolute_url()
    )


def test_did_you_mean_offers_the_readers_words(pages):
    # "nausia" is one step from the English "nausea" and two from the Spanish "nauseas".
    assert search("nausia", language="en").corrected == "nausea"
    assert search("nausia", language="es").corrected == "nauseas"
    assert search("efectos secundaros", language="es").corrected == "efectos secundarios"


def test_spanish_synonym_files_round_trip_with_their_accents(content_dir, tmp_path):
    from ketamine_info.contentsync import sync

    (content_dir / "synonyms").mkdir(exist_ok=True)
    text = "term: náuseas\nvariants:\n- ganas de vomitar\n- estómago revuelto\n"
    (content_dir / "synonyms" / "es-nauseas.yaml").write_text(text)
    # Like every synonym, a new file waits for a reviewer unless the operator publishes it.
    assert "synonyms/es-nauseas.yaml" in sync.load(content_dir).pending
    assert not Synonym.objects.filter(key="es-nauseas").exists()
    sync.load(content_dir, publish=True)
    synonym = Synonym.objects.get(key="es-nauseas")
    assert set(synonym.phrases.values_list("phrase", flat=True)) == {
        "ganas de vomitar",
        "estomago revuelto",
    }
    sync.export(tmp_path / "out")
    assert (tmp_path / "out" / "synonyms" / "es-nauseas.yaml").read_text() == text


def test_the_shipped_spanish_synonyms_are_files_like_the_english(shipped_content):
    from pathlib import Path

    from django.conf import settings

    spanish = sorted(Path(settings.CONTENT_DIR, "synonyms").glob("es-*.yaml"))
    assert len(spanish) >= 30
    keys = set(Synonym.objects.values_list("key", flat=True))
    assert {path.stem for path in spanish} <= keys
