"""content/clinics/*.yaml: loaded and exported with the same guarantees as the rest."""

import datetime as dt
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ketamine_info.clinics.models import ContactBlock

pytestmark = pytest.mark.django_db

CLINIC_FIXTURES = Path(__file__).parent.parent / "fixtures" / "clinics"
FILE = "clinics/first-article-clinic.yaml"


@pytest.fixture
def content(content_dir):
    shutil.copytree(CLINIC_FIXTURES, content_dir / "clinics")
    return content_dir


def load(path, *args):
    out = StringIO()
    call_command("load_content", str(path), *args, stdout=out)
    return out.getvalue()


def export(path):
    call_command("export_content", str(path), stdout=StringIO())


def test_a_block_file_loads_with_its_address_hours_and_articles(content):
    output = load(content, "--publish")
    assert "created   clinics/first-article-clinic.yaml" in output
    assert "created   clinics/footer.yaml" in output
    block = ContactBlock.objects.get(key="first-article-clinic")
    assert block.phone == "+15035550123"
    assert block.sms_phone == "+15035550124"
    assert block.locality == "Exampleville" and block.country == "US"
    assert [str(h) for h in block.hours.all()] == [
        "Monday 09:00 to 12:00",
        "Monday 13:00 to 17:00",
        "Saturday 10:00 to 14:00",
    ]
    assert [a.slug for a in block.articles.all()] == ["first-article"]
    assert block.show_from == dt.date(2026, 3, 1)
    assert block.show_until == dt.date(2026, 5, 31)
    assert "<strong>ketamine treatment</strong>" in block.body_html
    footer = ContactBlock.objects.get(key="footer")
    assert not footer.active and not footer.has_address and not footer.hours.exists()


def test_export_reproduces_the_files_byte_for_byte_and_a_reload_is_a_no_op(content, tmp_path):
    load(content, "--publish")
    out = tmp_path / "exported"
    export(out)
    for original in (content / "clinics").iterdir():
        assert (out / "clinics" / original.name).read_bytes() == original.read_bytes(), original
    assert "nothing to change" in load(out)


def test_staff_edits_are_exported_and_kept_on_reload(content, tmp_path):
    load(content, "--publish")
    block = ContactBlock.objects.get(key="footer")
    block.phone = "+15035550199"
    block.save()
    block.hours.create(day=2, opens=dt.time(8), closes=dt.time(16))
    assert "skipped   clinics/footer.yaml (changed in the admin" in load(content)
    out = tmp_path / "exported"
    export(out)
    text = (out / "clinics" / "footer.yaml").read_text()
    assert "phone: '+15035550199'" in text
    assert "hours:\n- day: tuesday\n  opens: '08:00'\n  closes: '16:00'\n" in text
    assert "nothing to change" in load(out)


def test_the_shipped_example_block_round_trips(shipped_content, tmp_path):
    block = ContactBlock.objects.get(key="example-clinic")
    assert block.clinic_name == "Example Clinic"
    phone = block.phone.as_e164
    assert phone.startswith("+1") and phone[5:10] == "55501"  # fictional 555-01xx
    out = tmp_path / "exported"
    export(out)
    shipped = settings.CONTENT_DIR / "clinics"
    assert sorted(p.name for p in (out / "clinics").iterdir()) == sorted(
        p.name for p in shipped.iterdir()
    )
    for original in shipped.iterdir():
        assert (out / "clinics" / original.name).read_bytes() == original.read_bytes()


def replace(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


BROKEN = {
    "unknown article slug": (
        "- first-article\n",
        "- first-article\n- no-such-article\n",
        "unknown article slug 'no-such-article' in 'articles'",
    ),
    "articles outside the end of articles": (
        "placement: article_end",
        "placement: footer",
        "'articles' can only be given with placement: article_end",
    ),
    "unknown placement": (
        "placement: article_end",
        "placement: sidebar",
        "'placement' must be one of footer, article_end, faq, home, not 'sidebar'",
    ),
    "phone not in E.164": (
        "phone: '+15035550123'",
        "phone: (503) 555-0123",
        "write 'phone' in E.164 form: '+15035550123', not '(503) 555-0123'",
    ),
    "phone unquoted": (
        "phone: '+15035550123'",
        "phone: +15035550123",
        "write 'phone' in quotes, e.g. phone: '+15035550123'",
    ),
    "invalid phone": (
        "sms_phone: '+15035550124'",
        "sms_phone: '+11234567890'",
        "sms_phone: “+11234567890” is not a valid phone number",
    ),
    "a crisis line as the clinic's number": (
        "phone: '+15035550123'",
        "phone: '988'",
        "phone: “988” is a short service number, not the clinic's own line",
    ),
    "time unquoted": (
        "closes: '17:00'",
        "closes: 17:00",
        "hours, entry 2: write 'closes' as a quoted 24-hour time, e.g. closes: '09:00' (got 1020)",
    ),
    "closing before opening": (
        "closes: '17:00'",
        "closes: '12:30'",
        "closes: Closing time (12:30) must be after opening time (13:00)",
    ),
    "unknown day": ("day: saturday", "day: caturday", "'day' must be one of monday, tuesday"),
    "booking over http": (
        "https://example.org/book",
        "http://example.org/book",
        "booking_url: The booking link must start with https://",
    ),
    "dates in the wrong order": (
        "show_until: 2026-05-31",
        "show_until: 2026-02-01",
        "show_until: The last day shown (February 1, 2026) is before the first day shown",
    ),
    "unknown address field": ("  locality:", "  city:", "address: unknown field 'city'"),
    "unknown field": ("position: 2", "position: 2\nfax: '1'", "unknown field 'fax'"),
}


@pytest.mark.parametrize("case", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_block_file_aborts_the_load_and_names_the_file(content, case):
    old, new, problem = case
    path = content / FILE
    replace(path, old, new)
    with pytest.raises(CommandError) as error:
        load(content)
    message = str(error.value)
    assert "Nothing was loaded" in message
    assert str(path) in message
    assert problem in message
    assert not ContactBlock.objects.exists()
