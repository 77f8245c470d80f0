"""Images: uploaded by an editor with alt text, placed with [[image key]], shown only once a
reviewer publishes them, as a responsive <picture> with no EXIF left in any file sent."""

import io
import re
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags
from PIL import Image as PILImage

from ketamine_info.editorial import review
from ketamine_info.images import processing
from ketamine_info.images.models import Image
from ketamine_info.markup import render, split_figures
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory

ADD_URL = "/admin/images/image/add/"
ALT = "A nurse checks a patient's blood pressure in a treatment chair"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def photo_bytes(kind="JPEG", size=(1600, 1000), gps=True) -> bytes:
    """A photograph as a phone saves it: with the camera's EXIF and a GPS position."""
    picture = PILImage.new("RGB", size, (30, 120, 160))
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    if gps:
        position = exif.get_ifd(ExifTags.IFD.GPSInfo)
        position[ExifTags.GPS.GPSLatitudeRef] = "N"
        position[ExifTags.GPS.GPSLatitude] = (45.0, 31.0, 12.0)
        position[ExifTags.GPS.GPSLongitudeRef] = "W"
        position[ExifTags.GPS.GPSLongitude] = (122.0, 40.0, 30.0)
    out = io.BytesIO()
    picture.save(out, kind, exif=exif)
    return out.getvalue()


def upload(data: bytes, name: str, content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def form(**overrides):
    data = {
        "key": "treatment-room",
        "alt_text": ALT,
        "caption": "A treatment room.",
        "credit": "© Example Clinic",
        "status": "review",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def errors_of(response) -> str:
    return " ".join(
        " ".join(str(e) for e in errors)
        for errors in response.context["adminform"].form.errors.values()
    )


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- the story: upload, place, publish, shown ---------------------------------------------


@pytest.mark.django_db
def test_an_uploaded_image_shows_on_the_page_only_once_a_reviewer_publishes_it(
    editor_client, reviewer_client, reviewer, client, media_root
):
    article = ArticleFactory(
        body="## In the room\n\nWords before.\n\n[[image treatment-room]]\n\nAfter."
    )
    original = photo_bytes()
    assert PILImage.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    response = editor_client.post(ADD_URL, form(upload=upload(original, "room.jpg")))
    assert response.status_code == 302, errors_of(response)
    image = Image.objects.get()
    assert image.status == Status.REVIEW and image.width == 1440 and image.height == 900

    page = client.get(article.get_absolute_url()).content.decode()
    assert "<picture" not in page and "treatment-room" not in page
    assert "Words before." in page and "After." in page

    done = reviewer_client.post(
        review.publish_page_url(image), {"confirm": "on", "credentials": "Dana Lee, MD"}
    )
    assert done.status_code == 302
    image.refresh_from_db()
    assert image.status == Status.PUBLISHED
    assert image.reviewed_by == reviewer and image.reviewer_name == "Dana Lee, MD"

    page = client.get(article.get_absolute_url()).content.decode()
    picture = re.search(r"<picture>.*?</picture>", page, re.S).group(0)
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="[^"]+">', picture)
    assert [w for w in re.findall(r" (\d+)w", webp.group(1))] == ["360", "720", "1080", "1440"]
    img = re.search(r"<img [^>]+>", picture).group(0)
    assert f'alt="{ALT.replace(chr(39), "&#x27;")}"' in img
    assert 'width="1440"' in img and 'height="900"' in img
    assert re.search(r'srcset="[^"]+\.jpg 360w, ', img)
    assert "A treatment room." in page and "© Example Clinic" in page
    # The files it names exist, of the type and size they claim.
    for name in re.findall(r"/media/(\S+?\.(?:webp|jpg))", picture):
        with default_storage.open(name) as f:
            decoded = PILImage.open(f)
            assert decoded.format == ("WEBP" if name.endswith(".webp") else "JPEG")


@pytest.mark.django_db
def test_no_exif_or_location_is_left_in_any_stored_file(editor_client, media_root):
    response = editor_client.post(ADD_URL, form(upload=upload(photo_bytes(), "room.jpg")))
    assert response.status_code == 302, errors_of(response)
    files = stored_files(media_root)
    assert len(files) == 8  # four widths, WebP and JPEG
    for path in files:
        data = path.read_bytes()
        assert b"Exif" not in data and b"PhoneMaker" not in data
        assert not PILImage.open(path).getexif()


@pytest.mark.django_db
def test_a_decorative_image_has_an_empty_alt(editor_client, reviewer, client):
    response = editor_client.post(
        ADD_URL, form(alt_text="", decorative="on", upload=upload(photo_bytes(), "a.jpg"))
    )
    assert response.status_code == 302, errors_of(response)
    image = Image.objects.get()
    image.change_status(Status.PUBLISHED, by=reviewer, confirmed=True)
    article = ArticleFactory(body="[[image treatment-room]]")
    page = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r'<img [^>]*alt=""', page)


@pytest.mark.django_db
def test_a_transparent_png_falls_back_to_png(editor_client):
    picture = PILImage.new("RGBA", (500, 400), (0, 0, 0, 0))
    out = io.BytesIO()
    picture.save(out, "PNG")
    response = editor_client.post(ADD_URL, form(upload=upload(out.getvalue(), "logo.png")))
    assert response.status_code == 302, errors_of(response)
    image = Image.objects.get()
    assert image.fallback_type == "image/png"
    assert [r["width"] for r in image.renditions] == [360, 500]
    assert image.renditions[-1]["fallback"].endswith(".png")


# --- refused, with a clear message, and nothing stored ---------------------------------------


@pytest.mark.django_db
def test_an_upload_without_alt_text_is_refused(editor_client, media_root):
    response = editor_client.post(ADD_URL, form(alt_text="", upload=upload(photo_bytes(), "a.jpg")))
    assert response.status_code == 200
    assert "Describe the picture for people who cannot see it" in errors_of(response)
    assert not Image.objects.exists() and stored_files(media_root) == []


@pytest.mark.django_db
def test_an_upload_without_a_file_is_refused(editor_client):
    response = editor_client.post(ADD_URL, form())
    assert "Choose the picture to upload." in errors_of(response)
    assert not Image.objects.exists()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels in a few bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def _html_in_png() -> bytes:
    out = io.BytesIO()
    picture = PILImage.new("RGB", (40, 40))
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "<html><script>alert(document.cookie)</script></html>")
    picture.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _blank_1bit_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    PILImage.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


HOSTILE = {
    "svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "drawing.svg",
        "not a JPEG, PNG or WebP picture",
    ),
    "html renamed .jpg": (
        b"<html><script>alert(1)</script></html>",
        "photo.jpg",
        "not a JPEG, PNG or WebP picture",
    ),
    "png with html inside renamed .jpg": (_html_in_png(), "photo.jpg", "but it is a PNG picture"),
    "gif": (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "a.gif", "not a JPEG, PNG or WebP picture"),
    "over our pixel cap": (_blank_1bit_png(6000, 6000), "big.png", "at most 25 million pixels"),
    "a decompression bomb": (_png_header_only(30000, 30000), "bomb.png", "too large"),
    "truncated": (photo_bytes()[:3000], "cut.jpg", "damaged or incomplete"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_with_a_clear_message(editor_client, media_root, name):
    data, filename, message = HOSTILE[name]
    assert len(data) < processing.MAX_UPLOAD_BYTES
    response = editor_client.post(ADD_URL, form(upload=upload(data, filename)))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not Image.objects.exists() and stored_files(media_root) == []


@pytest.mark.django_db
def test_a_huge_file_is_refused_before_it_is_read(editor_client, media_root):
    data = photo_bytes() + b"\0" * processing.MAX_UPLOAD_BYTES
    response = editor_client.post(ADD_URL, form(upload=upload(data, "huge.jpg")))
    assert "at most 10 MB can be uploaded" in errors_of(response)
    assert not Image.objects.exists() and stored_files(media_root) == []


# --- the marker ---------------------------------------------------------------------------------


def test_an_image_marker_paragraph_becomes_a_slot():
    rendered = render("Before.\n\n[[image treatment-room]]\n\n[[figure synapse]]")
    assert split_figures(rendered.html) == [
        ("html", "<p>Before.</p>\n"),
        ("image", "treatment-room"),
        ("figure", "synapse"),
    ]
    assert rendered.text == "Before."


@pytest.mark.parametrize(
    "text",
    [
        "In a sentence [[image a]] here.",
        "- [[image a]]",
        "`[[image a]]`",
        '<p class="image-slot">a</p>',
        '<img src="/media/x.jpg" onerror="alert(1)">',
        '<picture><source srcset="x"></picture>',
    ],
)
def test_only_a_paragraph_of_its_own_places_an_image_and_no_img_gets_through(text):
    html = render(text).html
    assert split_figures(html) == [("html", html)]
    assert "<img" not in html and "<source" not in html


@pytest.mark.django_db
def test_a_page_placing_a_missing_image_shows_the_rest(client):
    article = ArticleFactory(body="Words.\n\n[[image nowhere]]")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Words." in page and "nowhere" not in page


# --- permissions -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_editor_may_add_an_image_but_not_publish_it(editor_client, editor):
    assert editor_client.get(ADD_URL).status_code == 200
    response = editor_client.post(
        ADD_URL, form(status="published", upload=upload(photo_bytes(), "a.jpg"))
    )
    assert response.status_code == 200
    assert not Image.objects.exists()


@pytest.mark.django_db
def test_an_editor_may_add_the_words_of_a_drawing_that_has_none(editor_client):
    assert editor_client.get("/admin/figures/figure/add/").status_code == 200


@pytest.mark.django_db
def test_no_add_button_once_every_drawing_has_its_words(editor_client, shipped_content):
    from ketamine_info.figures.models import PARTS, Figure

    assert Figure.objects.filter(key__in=PARTS).count() == len(PARTS)
    listing = editor_client.get("/admin/figures/figure/").content.decode()
    assert "/admin/figures/figure/add/" not in listing


@pytest.mark.django_db
def test_media_is_served_only_when_django_is_told_to(settings, client, media_root):
    default_storage.save("images/x/360.jpg", io.BytesIO(photo_bytes(gps=False)))
    settings.SERVE_MEDIA = False
    assert client.get("/media/images/x/360.jpg").status_code == 404
    settings.SERVE_MEDIA = True
    response = client.get("/media/images/x/360.jpg")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get("/media/%2e%2e/settings.py").status_code in (400, 404)


@pytest.mark.django_db
def test_the_admin_list_and_change_page_show_the_picture(editor_client, reviewer):
    response = editor_client.post(ADD_URL, form(upload=upload(photo_bytes(), "a.jpg")))
    assert response.status_code == 302, errors_of(response)
    image = Image.objects.get()
    listing = editor_client.get("/admin/images/image/").content.decode()
    assert re.search(r'<img src="/media/images/[0-9a-f]+/360\.jpg" alt=""', listing)
    change = editor_client.get(f"/admin/images/image/{image.pk}/change/").content.decode()
    assert "1440 x 900 pixels" in change and 'type="file"' not in change
