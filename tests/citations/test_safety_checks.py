"""check_citations keeps the registry honest: clinic pages back only a clinic's own practice,
public descriptions never say how a source was checked, and every source has a kind."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ketamine_info.citations.integrity import verification_words
from ketamine_info.citations.models import Claim, Source
from tests.factories import ArticleFactory, CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def problems() -> str:
    err = StringIO()
    try:
        call_command("check_citations", stdout=StringIO(), stderr=err)
    except CommandError as error:
        return str(error) + "\n" + err.getvalue()
    return ""


def cited(claim):
    ArticleFactory(body=f"Text.[@{claim.key}]")
    return claim


def test_a_medical_claim_resting_only_on_a_clinic_page_fails():
    clinic = SourceFactory(kind=Source.Kind.CLINIC)
    claim = cited(CitationFactory(source=clinic, claim__key="fades-in-hours").claim)
    assert claim.scope == Claim.Scope.MEDICAL
    assert "claim 'fades-in-hours' states a medical fact but cites only clinic pages" in problems()


def test_a_clinic_page_beside_real_evidence_still_fails_for_a_medical_claim():
    claim = cited(CitationFactory(claim__key="mixed").claim)
    CitationFactory(claim=claim, source=SourceFactory(kind=Source.Kind.CLINIC))
    assert "claim 'mixed' cites a clinic page for a medical fact" in problems()


def test_a_claim_about_a_clinics_own_practice_may_cite_the_clinic():
    claim = cited(
        CitationFactory(
            source=SourceFactory(kind=Source.Kind.CLINIC),
            claim__key="one-clinic-says",
            claim__scope=Claim.Scope.CLINIC_PRACTICE,
        ).claim
    )
    assert Claim.objects.get(key=claim.key).scope == "clinic-practice"
    assert problems() == ""


@pytest.mark.parametrize(
    "note",
    [
        "Title read on a stored copy of the PubMed page.",
        "Abstract seen on scribd.com via proxy.",
        "Not in the stored corpus.",
        "Unknown clinic website (not given in the copy).",
        "DOI verified in two reference lists.",
        "Checked against the label.",
    ],
)
def test_a_public_note_that_says_how_the_source_was_checked_fails(note):
    source = SourceFactory(key="noisy", notes=note)
    cited(CitationFactory(source=source).claim)
    output = problems()
    assert "verification detail in public note: source 'noisy'" in output


def test_the_same_words_are_fine_in_the_staff_only_note():
    source = SourceFactory(
        notes="A small trial in 18 people.", staff_notes="Read on a stored copy (proxy)."
    )
    cited(CitationFactory(source=source).claim)
    assert problems() == ""


def test_plain_descriptions_are_not_mistaken_for_verification_notes():
    assert verification_words("A trial of 403 people; ketamine was not worse than ECT.") == []
    assert verification_words("Copies of the STORED text were Verified.") == [
        "copies",
        "stored",
        "verified",
    ]


def test_a_source_without_a_kind_fails():
    source = SourceFactory(key="kindless")
    cited(CitationFactory(source=source).claim)
    Source.objects.filter(pk=source.pk).update(kind="")
    assert "source 'kindless' has no known kind" in problems()


def test_the_claim_scope_loads_from_a_content_file_and_exports_back(content_dir, tmp_path):
    claim_file = next((content_dir / "claims").glob("*.yaml"))
    text = claim_file.read_text()
    claim_file.write_text(text.replace("citations:", "scope: clinic-practice\ncitations:", 1))
    call_command("load_content", str(content_dir), "--publish", stdout=StringIO())
    assert Claim.objects.get(key=claim_file.stem).scope == Claim.Scope.CLINIC_PRACTICE
    out = tmp_path / "out"
    call_command("export_content", str(out), stdout=StringIO())
    assert (out / "claims" / claim_file.name).read_text() == claim_file.read_text()


def test_an_unknown_scope_in_a_content_file_is_refused(content_dir):
    claim_file = next((content_dir / "claims").glob("*.yaml"))
    text = claim_file.read_text()
    claim_file.write_text(text.replace("citations:", "scope: anything\ncitations:", 1))
    with pytest.raises(CommandError, match="scope"):
        call_command("load_content", str(content_dir), stdout=StringIO())


def claim_form(key, source, scope=""):
    return {
        "key": key,
        "statement": "Side effects fade within a few hours.",
        "scope": scope,
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-0-source": source.pk,
        "citations-0-locator": "Side effects",
        "citations-0-position": 0,
    }


def test_the_admin_refuses_a_medical_claim_backed_by_a_clinic_page(staff_client):
    clinic = SourceFactory(kind=Source.Kind.CLINIC)
    response = staff_client.post("/admin/citations/claim/add/", claim_form("fades", clinic))
    assert response.status_code == 200
    assert "can back only what that clinic says about its own" in response.content.decode()
    assert not Claim.objects.filter(key="fades").exists()


def test_the_admin_accepts_a_clinic_page_for_a_clinic_practice_claim(staff_client, reviewer):
    from ketamine_info.editorial import review
    from ketamine_info.editorial.models import PendingChange

    clinic = SourceFactory(kind=Source.Kind.CLINIC)
    form = claim_form("one-clinic-says", clinic, scope="clinic-practice")
    response = staff_client.post("/admin/citations/claim/add/", form)
    assert response.status_code == 302
    review.publish(PendingChange.objects.get(), reviewer, confirmed=True, credentials="Dana Lee")
    assert Claim.objects.get(key="one-clinic-says").citations.get().source == clinic
