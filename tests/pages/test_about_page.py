"""/about/: who publishes the site (from settings, never invented), how it is written, sourced
and reviewed, money, advertising, privacy, how to report a mistake; linked from every footer."""

import pytest

# The about page and every footer as the site ships them.
pytestmark = pytest.mark.usefixtures("shipped_content")


def about(client) -> str:
    response = client.get("/about/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_about_page_covers_what_a_reader_needs_to_trust_a_health_site(client):
    html = about(client)
    for heading in [
        "Who runs this site",
        "How we write these pages",
        "Where the facts come from",
        "How pages are checked",
        "How often pages are checked",
        "Advertising",
        "Your privacy",
        "Tell us about a mistake",
        "Not medical advice",
    ]:
        assert f">{heading}</h2>" in html, heading
    assert "does not use cookies" in html and "no advertising" in html


def test_with_no_publisher_configured_it_says_so_and_invents_nothing(client, settings):
    settings.SITE_PUBLISHER = settings.SITE_FUNDING = settings.SITE_CONTACT_EMAIL = ""
    html = about(client)
    assert "This site does not name its publisher yet." in html
    assert "does not yet say who pays for it" in html
    assert "does not yet list a way to reach" in html
    assert "mailto:" not in html.split('id="who-runs-this-site"')[1].split("</section>")[0]


def test_the_publisher_funding_and_contact_come_from_settings(client, settings):
    settings.SITE_PUBLISHER = "Riverside <Health>"
    settings.SITE_PUBLISHER_URL = "https://riverside.example/"
    settings.SITE_FUNDING = "Riverside Health pays for this site. It offers ketamine treatment."
    settings.SITE_CONTACT_EMAIL = "pages@riverside.example"
    html = about(client)
    assert 'published by <a href="https://riverside.example/">Riverside &lt;Health&gt;</a>' in html
    assert "It offers ketamine treatment." in html
    assert '<a href="mailto:pages@riverside.example">pages@riverside.example</a>' in html
    assert "does not name its publisher" not in html


@pytest.mark.parametrize(
    "path", ["/", "/faq/", "/glossary/", "/sources/", "/search/?q=x", "/no-such-page/", "/about/"]
)
def test_every_footer_links_to_it(client, path):
    html = client.get(path).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="/about/">About this site</a>' in footer


def test_staff_edit_it_like_the_other_pages_but_the_publisher_part_stays(client):
    from ketamine_info.pages.models import Page

    page = Page.objects.get(slug="about")
    page.body = "## Our team\n\nWe are a small team."
    page.save()
    html = about(client)
    assert "We are a small team." in html and ">Who runs this site</h2>" in html
