"""A contact block is what patients read (a phone number, to someone in distress, is a clinical
fact): an editor's change waits for a clinical reviewer, the public page unchanged to the byte,
until one publishes it; the page, served from the page cache, then shows it. The hours and the
chosen articles are part of the change; taking a block off the site is at once."""

import datetime as dt
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from ketamine_info.clinics.models import ContactBlock, Placement
from ketamine_info.editorial.models import PendingChange
from ketamine_info.publishing import Status
from tests.factories import ArticleFactory, ContactBlockFactory, OpeningHoursFactory

pytestmark = pytest.mark.django_db

CLINIC_FIXTURES = Path(__file__).parent.parent / "fixtures" / "clinics"
NEW_NUMBER = '<a href="tel:+15035550199">(503) 555-0199</a>'
OLD_NUMBER = '<a href="tel:+15035550123">(503) 555-0123</a>'


@pytest.fixture
def block(db):
    ArticleFactory(slug="how", title="How it works", status=Status.PUBLISHED)
    block = ContactBlockFactory(
        key="main", name="Main clinic", placement=Placement.FOOTER, phone="+15035550123"
    )
    OpeningHoursFactory(block=block)  # Monday 09:00 to 17:00
    return block


def change_url(block) -> str:
    return f"/admin/clinics/contactblock/{block.pk}/change/"


def form(client, block, **changes) -> dict:
    """The block's change form as the browser would send it, with ``changes`` typed in."""
    context = client.get(change_url(block)).context
    data = {}
    for bound in context["adminform"].form:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list):
            data[bound.html_name] = [str(v) for v in value]
        elif value is not None:
            data[bound.html_name] = bound.field.widget.format_value(value) or ""
    for formset in context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[management[name].html_name] = management[name].value()
        for inline_form in formset.formset.forms:
            for bound in inline_form:
                value = bound.value()
                if value is not None:
                    data[bound.html_name] = bound.field.widget.format_value(value) or ""
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def publish(client, change):
    return client.post(
        f"/admin/editorial/pendingchange/{change.pk}/change/",
        {"publish": "1", "confirm": "on", "credentials": "Dana Lee, MD, psychiatrist"},
    )


def test_an_editors_phone_edit_waits_and_the_page_is_unchanged_to_the_byte(
    block, editor_client, reviewer_client
):
    public = Client()
    before = {path: public.get(path).content for path in ("/", "/learn/how/")}
    assert OLD_NUMBER.encode() in before["/"]
    page = editor_client.get(change_url(block)).content.decode()
    assert 'id="live-notice"' in page and "waits for a clinical reviewer" in page

    response = editor_client.post(
        change_url(block), form(editor_client, block, phone="(503) 555-0199"), follow=True
    )
    assert "waits for a clinical reviewer" in response.content.decode()
    for path, content in before.items():
        assert public.get(path).content == content, path
    block.refresh_from_db()
    assert block.phone == "+15035550123"
    change = PendingChange.objects.get()
    assert change.values == {"phone": "+15035550199"}
    assert change.author.username == "editor"
    # Opened again, the form shows the number waiting for review.
    again = editor_client.get(change_url(block)).content.decode()
    assert 'id="open-change"' in again and 'value="(503) 555-0199"' in again

    # An editor cannot publish it.
    assert publish(editor_client, change).status_code == 403
    assert public.get("/").content == before["/"]

    # The reviewer sees the old and new number and where patients would see it, previews it.
    screen = reviewer_client.get(f"/admin/editorial/pendingchange/{change.pk}/change/")
    html = screen.content.decode()
    assert "<del>+15035550123</del><ins>+15035550199</ins>" in html
    assert 'href="/"' in html
    preview = reviewer_client.get(f"/preview/change/{change.pk}/?path=/")
    assert NEW_NUMBER in preview.content.decode()
    assert public.get("/").content == before["/"]  # the preview was rolled back

    assert publish(reviewer_client, change).status_code == 302
    for path in before:
        html = public.get(path).content.decode()  # through the page cache
        assert NEW_NUMBER in html and OLD_NUMBER not in html, path
    record = ContactBlock.history.filter(id=block.pk).first()
    assert record.history_change_reason.startswith(f"Published change #{change.pk}")


def test_bad_numbers_are_refused_and_change_nothing(block, editor_client):
    public = Client()
    before = public.get("/").content
    for typed, message in [
        ("988", "“988” is a short service number, not the clinic&#x27;s own line."),
        ("call us", "“call us” is not a phone number."),
        ("503 555", "“503 555” is not a valid phone number"),
    ]:
        response = editor_client.post(change_url(block), form(editor_client, block, phone=typed))
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not PendingChange.objects.exists()
    assert public.get("/").content == before


def test_hours_and_articles_are_part_of_the_change(block, editor_client, reviewer_client):
    public = Client()
    article = ArticleFactory(slug="other", title="Other", status=Status.PUBLISHED, position=9)
    block.placement = Placement.ARTICLE_END
    block.save()
    before = public.get("/learn/other/").content
    data = form(
        editor_client,
        block,
        **{
            "hours-0-opens": "10:00",
            "hours-0-closes": "16:00",
            "hours-1-day": "2",
            "hours-1-opens": "08:00",
            "hours-1-closes": "12:00",
            "articles": [str(article.pk)],
        },
    )
    editor_client.post(change_url(block), data)
    assert public.get("/learn/other/").content == before
    assert [str(h) for h in block.hours.all()] == ["Monday 09:00 to 17:00"]
    assert not block.articles.exists()
    change = PendingChange.objects.get()
    assert change.values == {
        "hours": [
            {"day": 1, "opens": "10:00", "closes": "16:00"},
            {"day": 2, "opens": "08:00", "closes": "12:00"},
        ],
        "articles": [article.pk],
    }
    # The form, opened again, shows the hours waiting for review.
    again = editor_client.get(change_url(block)).content.decode()
    assert 'value="10:00"' in again and 'value="08:00"' in again
    screen = reviewer_client.get(f"/admin/editorial/pendingchange/{change.pk}/change/")
    html = screen.content.decode()
    assert "Opening hours" in html and "Tuesday 08:00 to 12:00" in html
    assert "Only on these articles" in html and "Other" in html

    assert publish(reviewer_client, change).status_code == 302
    assert [str(h) for h in block.hours.all()] == [
        "Monday 10:00 to 16:00",
        "Tuesday 08:00 to 12:00",
    ]
    assert list(block.articles.all()) == [article]
    html = public.get("/learn/other/").content.decode()
    assert '<time datetime="08:00">8 a.m.</time>' in html
    assert "Example Clinic" not in public.get("/learn/how/").content.decode()  # not chosen


def test_taking_a_block_down_is_at_once_and_anything_else_still_waits(
    block, editor_client, reviewer_client
):
    public = Client()
    assert OLD_NUMBER in public.get("/").content.decode()
    data = form(editor_client, block, phone="(503) 555-0199")
    del data["active"]
    response = editor_client.post(change_url(block), data, follow=True)
    assert "is off the site" in response.content.decode()
    html = public.get("/").content.decode()
    assert "Example Clinic" not in html and "555-0199" not in html
    block.refresh_from_db()
    assert not block.active and block.phone == "+15035550123"
    change = PendingChange.objects.get()
    assert change.values == {"phone": "+15035550199"}
    page = editor_client.get(change_url(block)).content.decode()
    assert "Patients do not see this block today" in page

    # Switching it back on is a change patients would see: it waits too.
    editor_client.post(change_url(block), form(editor_client, block, active="on"))
    assert "Example Clinic" not in public.get("/").content.decode()
    change.refresh_from_db()
    assert change.values == {"phone": "+15035550199", "active": True}
    assert publish(reviewer_client, change).status_code == 302
    assert NEW_NUMBER in public.get("/").content.decode()


def test_a_new_block_waits_and_so_does_the_list_views_order(block, editor_client, reviewer_client):
    public = Client()
    before = public.get("/").content
    listing = "/admin/clinics/contactblock/"
    editor_client.post(
        listing,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(block.pk),
            "form-0-position": "7",
            "form-0-active": "on",
            "_save": "Save",
        },
    )
    assert ContactBlock.objects.get().position == 0
    assert PendingChange.objects.get().values == {"position": 7}
    assert public.get("/").content == before


def test_load_content_proposes_a_change_to_a_live_block(content_dir, reviewer_client):
    shutil.copytree(CLINIC_FIXTURES, content_dir / "clinics")
    call_command("load_content", str(content_dir), "--publish", stdout=StringIO())
    path = content_dir / "clinics" / "first-article-clinic.yaml"
    path.write_text(
        path.read_text()
        .replace("phone: '+15035550123'", "phone: '+15035550199'")
        .replace("day: saturday", "day: sunday")
    )
    block = ContactBlock.objects.get(key="first-article-clinic")
    output = StringIO()
    call_command("load_content", str(content_dir), stdout=output)
    assert "clinics/first-article-clinic.yaml" in output.getvalue()
    block.refresh_from_db()
    assert block.phone == "+15035550123"
    assert "Saturday 10:00 to 14:00" in [str(h) for h in block.hours.all()]
    change = PendingChange.objects.get()
    assert change.values["phone"] == "+15035550199"
    assert {"day": 7, "opens": "10:00", "closes": "14:00"} in change.values["hours"]
    assert change.origin == "content file clinics/first-article-clinic.yaml"
    assert publish(reviewer_client, change).status_code == 302
    block.refresh_from_db()
    assert block.phone == "+15035550199"
    assert "Sunday 10:00 to 14:00" in [str(h) for h in block.hours.all()]
    assert dt.date(2026, 3, 1) == block.show_from  # the rest as it was
