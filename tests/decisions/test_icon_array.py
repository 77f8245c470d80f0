"""Icon arrays: exactly N of 100 figures shaded, a text alternative that says so, bad N refused."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from ketamine_info import markup
from ketamine_info.iconarray import icon_array_svg

pytestmark = pytest.mark.django_db


def counts(svg: str) -> tuple[int, int]:
    return svg.count('class="icon-on"'), svg.count('class="icon-off"')


@pytest.mark.parametrize("n", [0, 1, 29, 55, 99, 100])
def test_n_of_100_figures_are_shaded(n):
    svg = icon_array_svg(n, "people who responded")
    assert counts(svg) == (n, 100 - n)
    assert f'data-shaded="{n}"' in svg


def test_the_text_alternative_says_the_same_thing():
    svg = icon_array_svg(29, "about 29 out of 100 people responded to rTMS")
    label = re.search(r'aria-label="([^"]*)"', svg).group(1)
    assert 'role="img"' in svg
    assert label == (
        "Picture of 100 people: 29 shaded, 71 not shaded. "
        "about 29 out of 100 people responded to rTMS"
    )


def test_the_label_cannot_break_out_of_the_attribute():
    svg = icon_array_svg(5, '"><script>alert(1)</script>')
    assert "<script>" not in svg
    assert "&quot;&gt;&lt;script&gt;" in svg


@pytest.mark.parametrize("bad", [-1, 101, 1000, 2.5, "ten", None, True, "1e2"])
def test_a_number_outside_0_to_100_is_refused(bad):
    with pytest.raises(ValueError):
        icon_array_svg(bad, "x")


def test_the_template_tag_draws_and_refuses():
    template = Template('{% load icon_arrays %}{% icon_array n "people who got better" %}')
    html = template.render(Context({"n": 41}))
    assert counts(html) == (41, 59)
    with pytest.raises(ValueError):
        template.render(Context({"n": 140}))


def test_markdown_marker_draws_the_picture_with_a_visible_caption():
    rendered = markup.render("Text.\n\n[[icons 55: about 55 out of 100 responded]]\n")
    assert counts(rendered.html) == (55, 45)
    assert '<p class="icon-caption" aria-hidden="true">about 55 out of 100 responded</p>' in (
        rendered.html
    )
    assert rendered.bad_icon_arrays == []


@pytest.mark.parametrize("marker", ["[[icons 101: too many]]", "[[icons many: words]]"])
def test_markdown_marker_with_a_bad_number_is_refused_on_save(marker):
    from ketamine_info.pages.models import Page

    rendered = markup.render(f"{marker}\n")
    assert "icon-on" not in rendered.html
    assert rendered.bad_icon_arrays == [marker]
    page = Page(slug="numbers", title="Numbers", summary="Numbers.", body=marker)
    with pytest.raises(ValidationError, match="whole number from 0 to 100"):
        page.full_clean()


def test_typed_html_cannot_forge_an_icon_slot():
    rendered = markup.render('<p class="icon-slot">50:x</p>\n')
    assert "icon-on" not in rendered.html
