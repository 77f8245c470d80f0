"""Images in a real browser: an editor uploads a photo with alt text, a hostile file and one
without alt text are refused with a clear message; the picture is placed in an article and
shows nothing until a reviewer publishes it; then the page shows it responsive (WebP chosen,
width and height set) with its alt text."""

import re

import pytest
from PIL import Image as Picture
from playwright.sync_api import expect

from ketamine_info.images.models import Image
from ketamine_info.publishing import Status
from tests.browser.test_editorial_workflow import person  # noqa: F401 - a fixture
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALT = "A reclining chair beside a window in a quiet treatment room"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SERVE_MEDIA = True


def files(tmp_path):
    photo = tmp_path / "room.jpg"
    Picture.new("RGB", (1200, 800), (40, 110, 150)).save(photo, "JPEG")
    hostile = tmp_path / "drawing.svg"
    hostile.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    return photo, hostile


def test_upload_place_publish_show(person, editor, reviewer, tmp_path):  # noqa: F811
    photo, hostile = files(tmp_path)
    article = ArticleFactory(
        slug="the-room", title="The room", status=Status.PUBLISHED,
        body="## Where you sit\n\nYou sit in a chair.\n\n[[image treatment-room]]\n\nThen rest.",
    )  # fmt: skip
    ed = person("editor")
    ed.goto("/admin/images/image/add/")
    ed.fill("#id_key", "treatment-room")
    ed.fill("#id_credit", "© Example Clinic")
    ed.select_option("#id_status", "review")

    ed.set_input_files("#id_upload", str(hostile))
    ed.fill("#id_alt_text", ALT)
    ed.click("input[name=_save]")
    expect(ed.locator(".errorlist")).to_contain_text("not a JPEG, PNG or WebP picture")

    ed.set_input_files("#id_upload", str(photo))
    ed.fill("#id_alt_text", "")
    ed.click("input[name=_save]")
    expect(ed.locator(".errorlist")).to_contain_text("Describe the picture")
    assert not Image.objects.exists()

    ed.set_input_files("#id_upload", str(photo))
    ed.fill("#id_alt_text", ALT)
    ed.click("input[name=_save]")
    expect(ed.locator(".messagelist")).to_be_visible()
    image = Image.objects.get()
    assert image.status == Status.REVIEW

    patient = person()
    patient.goto(article.get_absolute_url())
    expect(patient.locator(".article-body")).to_contain_text("Then rest.")
    expect(patient.locator("picture")).to_have_count(0)

    rev = person("reviewer")
    rev.goto(f"/admin/images/image/{image.pk}/change/")
    rev.get_by_role("link", name=re.compile("Review and publish")).first.click()
    rev.check("#id_confirm")
    rev.fill("#id_credentials", "Dana Lee, MD")
    rev.click("input[value=Publish]")
    expect(rev.locator(".messagelist")).to_contain_text("published")

    patient.set_viewport_size({"width": 390, "height": 800})
    patient.goto(article.get_absolute_url())
    img = patient.locator("picture img")
    expect(img).to_have_attribute("alt", ALT)
    expect(img).to_have_attribute("width", "1200")
    patient.wait_for_function("document.querySelector('picture img').complete")
    chosen = img.evaluate("i => [i.currentSrc, i.naturalWidth, i.getBoundingClientRect().width]")
    assert chosen[0].endswith(".webp") and chosen[1] > 0
    assert chosen[2] <= 390


@pytest.mark.parametrize(
    "width, ratio",
    [(320, 2), (390, 3), (412, 1.75), (600, 1), (767, 1), (1350, 1)],
)
def test_the_browser_fetches_the_smallest_file_that_is_sharp_in_the_column(
    browser, live_server, width, ratio
):
    """``sizes`` says how wide the text column is: at each screen the browser picks the
    narrowest rendition at least as wide as the picture shows in device pixels (Lighthouse's
    "properly size images" on a phone)."""
    from ketamine_info.images.processing import check_and_render

    photo = tmp_photo()
    image = Image(key="treatment-room", alt_text=ALT, credit="© Example Clinic")
    image.status = Status.PUBLISHED
    image.store(check_and_render(photo, "room.jpg"))
    image.save()
    article = ArticleFactory(
        slug="the-room", title="The room", status=Status.PUBLISHED,
        body="You sit in a chair.\n\n[[image treatment-room]]\n\nThen rest.",
    )  # fmt: skip
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 800},
        device_scale_factor=ratio,
    )
    try:
        page = context.new_page()
        page.goto(article.get_absolute_url())
        img = page.locator("picture img")
        img.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('picture img').complete")
        shown, chosen = img.evaluate("i => [i.getBoundingClientRect().width, i.currentSrc]")
    finally:
        context.close()
    needed = shown * ratio
    widths = [r["width"] for r in image.renditions]
    right = next((w for w in widths if w >= needed - 0.5), widths[-1])
    assert chosen.endswith(f"/{right}.webp"), (shown, needed, chosen)


def tmp_photo() -> bytes:
    import io

    out = io.BytesIO()
    Picture.new("RGB", (1600, 1067), (40, 110, 150)).save(out, "JPEG")
    return out.getvalue()
