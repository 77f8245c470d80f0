"""Figures: drawings placed by [[figure key]], with a numbered list that says the same thing."""

import logging
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from ketamine_info.figures.models import Figure
from ketamine_info.markup import html_to_text, render, split_figures
from tests.factories import ArticleFactory, CitationFactory

LIST = "\n".join(f"{n}. **Part {n}.** Words for part {n}." for n in range(1, 5))


def test_a_figure_marker_paragraph_becomes_a_slot():
    rendered = render("Before.\n\n[[figure synapse]]\n\nAfter.")
    assert '<p class="figure-slot">synapse</p>' in rendered.html
    assert rendered.figure_keys == ["synapse"]
    assert split_figures(rendered.html) == [
        ("html", "<p>Before.</p>\n"),
        ("figure", "synapse"),
        ("html", "\n<p>After.</p>"),
    ]
    assert html_to_text(rendered.html) == "Before. After."


@pytest.mark.parametrize(
    "text",
    [
        "In a sentence [[figure synapse]] here.",
        "- [[figure synapse]]",
        "> [[figure synapse]]",
        "    [[figure synapse]]",
        "`[[figure synapse]]`",
        "[[figure Synapse]]",
        "[[figure synapse]] and more",
        '<p class="figure-slot">synapse</p>',
    ],
)
def test_only_a_paragraph_of_its_own_places_a_figure(text):
    rendered = render(text)
    assert rendered.figure_keys == []
    assert split_figures(rendered.html) == [("html", rendered.html)]


def test_the_key_is_never_a_glossary_link():
    rendered = render("[[figure synapse]]", terms={"synapse": "/glossary/#synapse"})
    assert rendered.html == '<p class="figure-slot">synapse</p>'


@pytest.mark.django_db
def test_the_list_must_have_one_item_per_number_in_the_drawing():
    figure = Figure(key="synapse", title="A synapse", body="1. **One.** Only one.")
    with pytest.raises(ValidationError, match="numbered list with 4 items"):
        figure.full_clean()
    Figure(key="synapse", title="A synapse", body=LIST).full_clean()


@pytest.mark.django_db
def test_an_article_shows_the_figure_where_it_is_placed(client):
    citation = CitationFactory()
    body = f"Intro.[@{citation.claim.key}]\n\n{LIST}"
    Figure.objects.create(key="synapse", title="Where two nerve cells meet", body=body)
    article = ArticleFactory(body="## One\n\nFirst.\n\n[[figure synapse]]\n\n## Two\n\nSecond.")
    html = client.get(article.get_absolute_url()).content.decode()
    figure = html[html.index('<figure class="figure figure-synapse"') : html.index("</figure>")]
    assert html.index("First.") < html.index("<figure") < html.index("Second.")
    assert '<figcaption class="figure-title" id="figure-synapse-title">' in figure
    assert '<svg class="drawing"' in figure
    assert 'role="img" aria-labelledby="figure-synapse-title"' in figure
    assert "<strong>Part 4.</strong>" in figure
    # Its sources, numbered on their own, apart from the article's.
    assert 'href="#figure-synapse-ref-1"' in figure
    assert 'id="figure-synapse-ref-1"' in figure
    assert "figure-slot" not in html


@pytest.mark.django_db
def test_a_missing_figure_shows_nothing_and_is_logged(client, caplog):
    article = ArticleFactory(body="## One\n\nFirst.\n\n[[figure routes]]\n\nSecond.")
    with caplog.at_level(logging.ERROR):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "<figure" not in response.content.decode()
    assert "no figure 'routes'" in caplog.text


@pytest.mark.django_db
def test_check_citations_reports_an_unknown_figure():
    ArticleFactory(title="Needs a drawing", body="## One\n\n[[figure routes]]")
    out = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("check_citations", stdout=out, stderr=out)
    assert "unknown figure: article 'Needs a drawing' places [[figure routes]]" in out.getvalue()


def test_the_shipped_figures_appear_in_their_articles(client, shipped_content):
    for key, path in [
        ("course-timeline", "/learn/what-to-expect/"),
        ("synapse", "/learn/how-ketamine-works/"),
        ("routes", "/learn/how-ketamine-is-given/"),
    ]:
        html = client.get(path).content.decode()
        assert f'<figure class="figure figure-{key}" id="figure-{key}">' in html, key
        Figure.objects.get(key=key).full_clean()
    # A source cited by a figure says where: a link that leads to the article, at the figure.
    html = client.get("/sources/spravato-prescribing-information/").content.decode()
    assert 'href="/figures/course-timeline/"' in html
    response = client.get("/figures/course-timeline/")
    assert response.status_code == 302
    assert response["Location"] == "/learn/what-to-expect/#figure-course-timeline"
    assert client.get("/figures/no-such-drawing/").status_code == 404
