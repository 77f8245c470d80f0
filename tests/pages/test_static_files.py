"""Static files as deployed: collectstatic's hashed, compressed copies, served by whitenoise with
far-future cache headers, and pages that link to the hashed names."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

IMMUTABLE = "max-age=315360000, public, immutable"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    from django.test import override_settings

    with override_settings(
        STATIC_ROOT=root,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
    ):
        # The admin's files are collected the same way; leaving them out keeps this quick.
        call_command("collectstatic", "--noinput", "--ignore=admin", stdout=StringIO())
        yield root


def hashed_css_url(client) -> str:
    html = client.get("/").content.decode()
    match = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert match, "the page links to the hashed stylesheet"
    return match.group(1)


def test_pages_link_to_hashed_static_files(collected):
    html = Client().get("/").content.decode()
    assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', html)
    assert re.search(r'href="/static/favicon\.[0-9a-f]{12}\.svg"', html)


@pytest.mark.parametrize(("accept", "encoding"), [("br, gzip", "br"), ("gzip", "gzip"), ("", None)])
def test_hashed_files_are_served_compressed_and_cached_for_ever(collected, accept, encoding):
    client = Client()
    response = client.get(hashed_css_url(client), HTTP_ACCEPT_ENCODING=accept)
    assert response.status_code == 200
    assert response["Cache-Control"] == IMMUTABLE
    assert response.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response["Vary"]
    body = b"".join(response.streaming_content)
    if encoding is None:
        assert b"font-family" in body  # the stylesheet itself


def test_compressed_copies_exist_for_every_hashed_file(collected):
    css = list((collected / "css").glob("site.*.css"))
    assert css
    for path in css:
        assert path.with_name(path.name + ".gz").exists()
        assert path.with_name(path.name + ".br").exists()


def test_unhashed_names_are_not_cached_for_ever(collected):
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


@pytest.mark.parametrize(
    ("address", "name", "kind"),
    [
        ("/favicon.ico", "favicon", "image/"),
        ("/apple-touch-icon.png", "apple-touch-icon", "image/png"),
    ],
)
def test_the_icons_browsers_ask_for_at_the_root_are_there(collected, address, name, kind):
    client = Client()
    response = client.get(address)
    assert response.status_code == 302
    assert re.fullmatch(rf"/static/{name}\.[0-9a-f]{{12}}\.(ico|png)", response["Location"])
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and icon["Content-Type"].startswith(kind)
    body = b"".join(icon.streaming_content)
    if address.endswith(".ico"):
        assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file: reserved 0, type 1 (icon)
    else:
        assert body[:8] == b"\x89PNG\r\n\x1a\n"
    html = client.get("/").content.decode()
    assert re.search(rf'rel="(apple-touch-)?icon" href="/static/{name}\.[0-9a-f]{{12}}\.', html)
