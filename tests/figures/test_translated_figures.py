"""Figures in Spanish: a Spanish page shows each drawing with its Spanish words, or the English
figure marked as English until it has been translated."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from ketamine_info.articles.models import Article
from ketamine_info.figures.models import Figure
from ketamine_info.publishing import announce_public_change
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LIST = "\n".join(f"{n}. **Part {n}.** Words for part {n}." for n in range(1, 5))
LISTA = "\n".join(f"{n}. **Parte {n}.** Palabras de la parte {n}." for n in range(1, 5))


def figure_element(html: str, drawing: str) -> str:
    found = re.search(rf'<figure class="figure figure-{drawing}"[^>]*>.*?</figure>', html, re.S)
    assert found, f"no figure {drawing} on the page"
    return found.group(0)


def opening_tag(element: str) -> str:
    return element[: element.index(">") + 1]


def test_each_language_shows_its_own_words_for_the_shipped_drawings(client, shipped_content):
    for english_path, spanish_key in [
        ("/learn/how-ketamine-works/", "sinapsis"),
        ("/learn/how-ketamine-is-given/", "formas-de-administrar"),
        ("/learn/what-to-expect/", "curso-de-esketamina"),
    ]:
        spanish_figure = Figure.objects.get(key=spanish_key)
        english_figure = spanish_figure.translation_of
        drawing = english_figure.key
        spanish_figure.full_clean()
        assert spanish_figure.drawing == drawing
        assert spanish_figure.language == "es" and not spanish_figure.out_of_date

        english_html = client.get(english_path).content.decode()
        shown = figure_element(english_html, drawing)
        assert english_figure.title in shown
        assert spanish_figure.title not in english_html
        assert " lang=" not in opening_tag(shown)

        spanish_article = english_figure.placed_in()[0].translations.get(language="es")
        spanish_html = client.get(spanish_article.get_absolute_url()).content.decode()
        shown = figure_element(spanish_html, drawing)
        # The same drawing, at the same anchor, with the Spanish caption and list.
        assert (
            opening_tag(shown) == f'<figure class="figure figure-{drawing}" id="figure-{drawing}">'
        )
        assert f'aria-labelledby="figure-{drawing}-title"' in shown
        assert spanish_figure.title in shown
        assert english_figure.title not in spanish_html
        assert '<svg class="drawing"' in shown

    spanish_article = Article.objects.get(slug="como-actua-la-ketamina")
    html = client.get(spanish_article.get_absolute_url()).content.decode()
    assert "Una sinapsis es el lugar donde una célula nerviosa" in figure_element(html, "synapse")
    html = client.get("/learn/how-ketamine-works/").content.decode()
    assert "A synapse is the place where" in figure_element(html, "synapse")


def test_a_spanish_page_shows_the_english_figure_marked_english_until_it_is_translated(
    client, django_capture_on_commit_callbacks
):
    english = Figure.objects.create(key="synapse", title="Where two nerve cells meet", body=LIST)
    article = ArticleFactory(body="## One\n\nFirst.\n\n[[figure synapse]]\n\n## Two\n\nSecond.")
    spanish_article = ArticleFactory(
        slug="articulo",
        body="## Uno\n\nPrimero.\n\n[[figure synapse]]\n\n## Dos\n\nSegundo.",
        language="es",
        translation_of=article,
    )
    url = spanish_article.get_absolute_url()
    assert url.startswith("/es/")

    shown = figure_element(client.get(url).content.decode(), "synapse")
    assert opening_tag(shown) == (
        '<figure class="figure figure-synapse" id="figure-synapse" lang="en">'
    )
    assert "Where two nerve cells meet" in shown
    assert "<strong>Part 4.</strong>" in shown
    # Until then the English figure's address leads to the English page, and its reviewer is
    # told it shows on the Spanish one as well.
    assert english.placed_in() == [article, spanish_article]

    spanish = Figure.objects.create(
        key="sinapsis",
        title="Donde se unen dos células nerviosas",
        body=LISTA,
        language="es",
        translation_of=english,
    )
    with django_capture_on_commit_callbacks(execute=True):
        announce_public_change(Figure)  # as publishing does: the pages are built afresh
    shown = figure_element(client.get(url).content.decode(), "synapse")
    assert opening_tag(shown) == '<figure class="figure figure-synapse" id="figure-synapse">'
    assert "Donde se unen dos células nerviosas" in shown
    assert "<strong>Parte 4.</strong>" in shown
    assert "Where two nerve cells meet" not in shown
    english_html = client.get(article.get_absolute_url()).content.decode()
    assert "Where two nerve cells meet" in figure_element(english_html, "synapse")
    assert "Donde se unen" not in english_html
    assert english.placed_in() == [article]
    assert spanish.placed_in() == [spanish_article]

    # A stand-alone page places figures through the template tag alone: the same choice.
    from ketamine_info.pages.models import Page

    page = Page.objects.create(
        slug="pagina",
        title="Página",
        summary="Una página.",
        body="Texto.\n\n[[figure synapse]]",
        language="es",
        translation_of=Page.objects.create(
            slug="a-page", title="A page", summary="A page.", body="Text."
        ),
    )
    html = client.get(page.get_absolute_url()).content.decode()
    assert "Donde se unen dos células nerviosas" in figure_element(html, "synapse")


def test_a_spanish_figure_address_leads_to_the_spanish_page(client, shipped_content):
    spanish_article = Article.objects.get(slug="como-actua-la-ketamina")
    assert spanish_article.get_absolute_url().startswith("/es/")
    response = client.get(reverse("figure", args=["sinapsis"]))
    assert response.status_code == 302
    assert response["Location"] == spanish_article.get_absolute_url() + "#figure-synapse"
    response = client.get(reverse("figure", args=["synapse"]))
    assert response["Location"] == "/learn/how-ketamine-works/#figure-synapse"


def test_a_translation_keeps_its_english_drawing_under_a_key_of_its_own():
    english = Figure.objects.create(key="routes", title="Four ways", body=LIST)
    # Its list is checked against the English figure's drawing.
    short = Figure(
        key="formas", title="Formas", body="1. Una.", language="es", translation_of=english
    )
    with pytest.raises(ValidationError, match="numbered list with 4 items"):
        short.full_clean()
    # Pages name drawings by the English keys: a translation may not take one.
    english.delete()
    english = Figure.objects.create(key="synapse", title="Synapse", body=LIST)
    taken = Figure(key="routes", title="Formas", body=LISTA, language="es", translation_of=english)
    with pytest.raises(ValidationError, match="key of its own"):
        taken.full_clean()
    # An English figure is the words of a drawing that exists.
    with pytest.raises(ValidationError, match="Choose a drawing"):
        Figure(key="sinapsis", title="Synapse", body=LIST).full_clean()
    # A translation names the English figure it translates.
    with pytest.raises(ValidationError, match="Choose the English item"):
        Figure(key="sinapsis", title="Sinapsis", body=LISTA, language="es").full_clean()


def test_a_spanish_figure_is_out_of_date_when_the_english_words_change(reviewer_client):
    english = Figure.objects.create(key="synapse", title="Synapse", body=LIST)
    spanish = Figure.objects.create(
        key="sinapsis", title="Sinapsis", body=LISTA, language="es", translation_of=english
    )
    dashboard = reverse("admin:review_dashboard")

    def listed() -> str:
        html = reviewer_client.get(dashboard).content.decode()
        found = re.search(
            r'<div class="module" id="out-of-date-translations">.*?</div>', html, re.S
        )
        return found.group(0) if found else ""

    assert not spanish.out_of_date
    assert "Sinapsis" not in listed()
    english.title = "Where two nerve cells meet"
    english.save()
    spanish.refresh_from_db()
    assert spanish.out_of_date
    assert "Sinapsis" in listed()


def test_the_spanish_figure_files_round_trip(shipped_content, tmp_path):
    out = tmp_path / "exported"
    call_command("export_content", str(out), stdout=StringIO())
    shipped = settings.CONTENT_DIR / "es" / "figures"
    names = sorted(p.name for p in shipped.glob("*.md"))
    assert names == ["curso-de-esketamina.md", "formas-de-administrar.md", "sinapsis.md"]
    assert sorted(p.name for p in (out / "es" / "figures").iterdir()) == names
    for name in names:
        assert (out / "es" / "figures" / name).read_bytes() == (shipped / name).read_bytes()
    # The English files stay where they were, without the Spanish.
    assert sorted(p.name for p in (out / "figures").iterdir()) == [
        "course-timeline.md",
        "routes.md",
        "synapse.md",
    ]


def test_staff_can_add_a_translation_of_a_figure_in_the_admin(staff_client):
    Figure.objects.create(key="synapse", title="Synapse", body=LIST)
    Figure.objects.create(key="routes", title="Routes", body=LIST)
    Figure.objects.create(key="course-timeline", title="Course", body=LIST)
    response = staff_client.get(reverse("admin:figures_figure_add"))
    assert response.status_code == 200
    form = response.content.decode()
    assert 'name="language"' in form and 'name="translation_of"' in form


def test_a_reviewer_previews_a_spanish_figure_on_the_spanish_page(editor, reviewer_client):
    from ketamine_info.editorial import review

    english = Figure.objects.create(key="synapse", title="Where two nerve cells meet", body=LIST)
    article = ArticleFactory(body="## One\n\n[[figure synapse]]")
    spanish_article = ArticleFactory(
        slug="articulo", body="## Uno\n\n[[figure synapse]]", language="es", translation_of=article
    )
    path = spanish_article.get_absolute_url()

    def preview(change) -> str:
        response = reviewer_client.get(f"/preview/change/{change.pk}/", {"path": path})
        assert response.status_code == 200
        return figure_element(response.content.decode(), "synapse")

    # A first translation, not yet published: the Spanish page shows it in place of the English.
    values = {
        "key": "sinapsis",
        "title": "Donde se unen dos células nerviosas",
        "body": LISTA,
        "language": "es",
        "translation_of": english.pk,
    }
    added = review.propose(Figure, values, live=None, author=editor)
    shown = preview(added)
    assert "Donde se unen dos células nerviosas" in shown and " lang=" not in opening_tag(shown)
    assert not Figure.objects.filter(key="sinapsis").exists()

    # A change to the live translation.
    spanish = Figure.objects.create(**{**values, "translation_of": english})
    changed = review.propose(
        Figure, {"title": "Dos células nerviosas"}, live=spanish, author=editor
    )
    shown = preview(changed)
    assert "Dos células nerviosas" in shown and "Donde se unen" not in shown


def write_catalog(path, messages: dict[tuple[str, str], str]) -> None:
    """A compiled message catalog (GNU .mo) at ``path``/es/LC_MESSAGES/django.mo: the lead
    keeps the site's catalog; this one holds just the drawings' words for the test."""
    import struct

    entries = {"": "Content-Type: text/plain; charset=UTF-8\n"}
    entries.update(
        {f"{context}\x04{msgid}": msgstr for (context, msgid), msgstr in messages.items()}
    )
    keys = sorted(entries)
    ids = [key.encode() for key in keys]
    strs = [entries[key].encode() for key in keys]
    count = len(keys)
    start = 7 * 4 + 16 * count
    offsets, data = [], b""
    for text in ids + strs:
        offsets.append((len(text), start + len(data)))
        data += text + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, 28, 28 + 8 * count, 0, 0)
    tables = b"".join(struct.pack("<2I", *entry) for entry in offsets)
    target = path / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "django.mo").write_bytes(header + tables + data)


def test_the_drawings_words_are_in_the_figures_language(
    client, tmp_path, django_capture_on_commit_callbacks
):
    from django.test import override_settings

    write_catalog(
        tmp_path,
        {
            ("label in a drawing of the ways ketamine is given", "clinic"): "clínica",
            (
                "label in a drawing of the ways ketamine is given",
                "FDA-approved for depression",
            ): "aprobada",
        },
    )
    english = Figure.objects.create(key="routes", title="Four ways", body=LIST)
    article = ArticleFactory(body="## One\n\n[[figure routes]]")
    spanish_article = ArticleFactory(
        slug="articulo", body="## Uno\n\n[[figure routes]]", language="es", translation_of=article
    )
    with override_settings(LOCALE_PATHS=[tmp_path, *settings.LOCALE_PATHS]):
        # Not translated yet: the English figure, its drawing's words in English too.
        shown = figure_element(
            client.get(spanish_article.get_absolute_url()).content.decode(), "routes"
        )
        assert 'lang="en"' in opening_tag(shown)
        assert ">clinic</text>" in shown and "clínica" not in shown

        Figure.objects.create(
            key="formas", title="Cuatro formas", body=LISTA, language="es", translation_of=english
        )
        with django_capture_on_commit_callbacks(execute=True):
            announce_public_change(Figure)
        html = client.get(spanish_article.get_absolute_url()).content.decode()
        shown = figure_element(html, "routes")
        assert ">clínica</text>" in shown and ">aprobada</text>" in shown
        english_html = client.get(article.get_absolute_url()).content.decode()
        assert ">clinic</text>" in figure_element(english_html, "routes")
