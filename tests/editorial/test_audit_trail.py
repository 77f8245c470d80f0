"""The audit trail scales: pages of events, filters by person, item, kind and date, field names
as staff know them, a publish shown once, and the same events as CSV."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from ketamine_info.clinics.models import ContactBlock
from ketamine_info.editorial import audit
from ketamine_info.editorial.models import PendingChange
from ketamine_info.glossary.models import Term
from tests.editorial.test_pending_changes import claim_form, live  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/admin/audit/"


def publish_claim_change(live, editor_client, reviewer_client, statement):  # noqa: F811
    claim = live["claim"]
    claim.refresh_from_db()
    editor_client.post(f"/admin/citations/claim/{claim.pk}/change/", claim_form(claim, statement))
    change = PendingChange.objects.get(state=PendingChange.State.OPEN)
    reviewer_client.post(
        f"/admin/editorial/pendingchange/{change.pk}/change/",
        {"publish": "1", "confirm": "on", "credentials": "Dana Lee, MD"},
    )
    change.refresh_from_db()
    assert change.state == PendingChange.State.PUBLISHED
    return change


def test_a_publish_appears_once_with_human_field_names(live, editor_client, reviewer_client):  # noqa: F811
    change = publish_claim_change(live, editor_client, reviewer_client, "It can work in a day.")
    html = reviewer_client.get(URL + "?kind=citations.Claim").content.decode()
    assert html.count("Published after review") == 1
    assert f"Published change #{change.pk}" not in html  # the revision publishing wrote
    assert f"Change #{change.pk} proposed: Statement" in html


def test_field_labels_are_the_forms_labels():
    assert audit.field_label(ContactBlock, "sms_phone") != "sms_phone"
    assert audit.field_label(ContactBlock, "sms_phone")[0].isupper()
    assert audit.field_label(ContactBlock, "hours") == "Opening hours"
    assert audit.field_label(ContactBlock, "no_such_field") == "No such field"


def test_events_come_in_pages(staff_client, monkeypatch):
    monkeypatch.setattr(audit, "PER_PAGE", 10)
    for n in range(25):
        Term.objects.create(slug=f"term-{n:02}", term=f"Term {n:02}", body="Words.")
    first = staff_client.get(URL).content.decode()
    assert "25 events, page 1 of 3" in first
    assert "Term 24" in first and "Term 14" not in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    third = staff_client.get(URL + "?page=3").content.decode()
    assert "Term 04" in third and "Term 00" in third and "Term 05" not in third
    assert 'rel="next"' not in third
    # Junk page numbers give the first page, never an error.
    assert staff_client.get(URL + "?page=abc").status_code == 200
    assert staff_client.get(URL + "?page=-3").status_code == 200


def test_filters_by_person_kind_item_and_date(live, editor_client, reviewer_client, editor):  # noqa: F811
    publish_claim_change(live, editor_client, reviewer_client, "It can work in a day.")
    term = live["term"]
    by_editor = reviewer_client.get(f"{URL}?user={editor.pk}").content.decode()
    assert "Pending change" in by_editor and "Published after review" not in by_editor
    terms = reviewer_client.get(URL + "?kind=glossary.Term").content.decode()
    assert "NMDA receptor" in terms and "It can work" not in terms
    one = reviewer_client.get(f"{URL}?item=glossary.Term:{term.pk}").content.decode()
    assert "Only the item <strong>NMDA receptor</strong>" in one
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    later = reviewer_client.get(f"{URL}?since={tomorrow}").content.decode()
    assert "0 events" in later and "Nothing recorded." in later
    today = timezone.localdate().isoformat()
    now = reviewer_client.get(f"{URL}?since={today}&until={today}").content.decode()
    assert "Published after review" in now
    # Bad filter values are ignored, not an error.
    assert reviewer_client.get(URL + "?since=yesterday&kind=auth.User&user=x").status_code == 200


def test_csv_export_has_the_filtered_events(live, editor_client, reviewer_client):  # noqa: F811
    publish_claim_change(live, editor_client, reviewer_client, "It can work in a day.")
    Term.objects.create(slug="evil", term='=HYPERLINK("http://x")', body="Words.")
    response = reviewer_client.get(URL + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["When (UTC)", "Who", "What", "Kind", "Item", "Details"]
    whats = [row[2] for row in rows[1:]]
    assert whats.count("Published after review") == 1 and "Pending change" in whats
    # A cell a spreadsheet would run as a formula is written as text.
    assert any(row[4] == '\'=HYPERLINK("http://x")' for row in rows)
    only_terms = reviewer_client.get(URL + "?format=csv&kind=glossary.Term")
    text = b"".join(only_terms.streaming_content).decode()
    assert "It can work" not in text and "NMDA receptor" in text


def test_editors_may_read_it_and_strangers_may_not(editor_client, client):
    assert editor_client.get(URL).status_code == 200
    assert client.get(URL).status_code == 302
