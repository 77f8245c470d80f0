"""No path a staff member or a content file can take changes what patients read without a
reviewer's publish or the operator's explicit --publish; and the refusals (review dates,
deleting evidence) hold in the admin, in bulk actions and in load_content, the database
unchanged afterwards."""

import datetime as dt
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from ketamine_info import registry
from ketamine_info.articles.models import Article
from ketamine_info.citations.models import Citation, Claim, Source
from ketamine_info.clinics.models import ContactBlock, OpeningHours, Placement
from ketamine_info.decisions.models import Comparison
from ketamine_info.editorial.models import PendingChange
from ketamine_info.faqs.models import Question
from ketamine_info.figures.models import Figure
from ketamine_info.glossary.models import Term
from ketamine_info.images.models import Image
from ketamine_info.images.processing import check_and_render
from ketamine_info.pages.models import Page
from ketamine_info.publishing import Status
from ketamine_info.search.models import BestBet, Synonym, SynonymPhrase
from tests.factories import ArticleFactory, CitationFactory, ContactBlockFactory
from tests.factories import article_form_data as article_form

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent.parent / "fixtures" / "content"

PUBLIC_PAGES = [
    "/",
    "/learn/how/",
    "/faq/",
    "/glossary/",
    "/ask/",
    "/sources/",
    "/sources/trial/",
    "/compare/choices/",
    "/search/?q=receptor",
    "/search/?q=glutamate+switch",
]
FIGURE_BODY = "A drawing.[@fast]\n\n1. One.\n2. Two.\n3. Three.\n4. Four.\n"
COMPARISON_BODY = (
    "Intro.[@fast]\n\n## How well does it work?\n\n### Pills\n\nSome.[@fast]\n\n"
    "### Talking\n\nNo comparable number.[@fast]\n"
)


def a_published_image() -> Image:
    import io

    from PIL import Image as Picture

    out = io.BytesIO()
    Picture.new("RGB", (400, 300), (20, 90, 120)).save(out, "PNG")
    image = Image(key="room", alt_text="A quiet room.", credit="© Example Clinic")
    image.store(check_and_render(out.getvalue(), "room.png"))
    image.status = Status.PUBLISHED
    image.save()
    return image


@pytest.fixture
def live(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    citation = CitationFactory(
        claim__key="fast", claim__statement="It can work within hours.", source__key="trial"
    )
    Term.objects.create(slug="nmda", term="NMDA receptor", body="A switch.[@fast]")
    Figure.objects.create(key="synapse", title="At a synapse", body=FIGURE_BODY)
    article = ArticleFactory(
        slug="how",
        title="How it works",
        status=Status.PUBLISHED,
        body="The NMDA receptor.[@fast]\n\n[[figure synapse]]\n\n[[image room]]",
    )
    a_published_image()
    ArticleFactory(slug="other", title="Other", status=Status.PUBLISHED, position=50)
    Question.objects.create(
        slug="q", question="Fast?", topic="about", status="published", body="Yes.[@fast]"
    )
    Page.objects.create(slug="ask", title="Ask", summary="Questions.", body="Ask this.[@fast]")
    block = ContactBlockFactory(key="main", placement=Placement.FOOTER, phone="+15035550123")
    block.hours.create(day=1, opens=dt.time(9), closes=dt.time(17))
    Synonym.objects.create(key="nmda", term="NMDA receptor", variants="glutamate switch")
    BestBet.objects.create(query="receptor", term=Term.objects.get())
    Comparison.objects.create(
        slug="choices",
        title="Choices",
        summary="Two options.",
        options="Pills\nTalking",
        body=COMPARISON_BODY,
    )
    return {"article": article, "claim": citation.claim, "citation": citation, "block": block}


def public_text() -> dict[str, bytes]:
    pages = {}
    for path in PUBLIC_PAGES:
        cache.clear()
        response = Client().get(path)
        assert response.status_code == 200, path
        pages[path] = response.content
    return pages


def database() -> tuple:
    """Every patient-visible row, as comparable values."""
    return (
        list(
            Article.objects.values_list("title", "summary", "body", "position", "topic", "status")
        ),
        list(Question.objects.values_list("question", "body", "status", "last_reviewed")),
        list(Claim.objects.values_list("key", "statement")),
        list(Citation.objects.values_list("claim__key", "source__key", "locator", "excerpt")),
        list(Source.objects.values_list("key", "title", "notes")),
        list(Term.objects.values_list("term", "aliases", "body")),
        list(Figure.objects.values_list("title", "body")),
        list(Page.objects.values_list("title", "summary", "body", "last_reviewed")),
        list(ContactBlock.objects.values_list("phone", "heading", "position", "active")),
        list(OpeningHours.objects.values_list("day", "opens", "closes")),
        list(Synonym.objects.values_list("term", "variants")),
        list(SynonymPhrase.objects.values_list("phrase", flat=True)),
        list(BestBet.objects.values_list("query", "article", "question", "term", "position")),
        list(Comparison.objects.values_list("title", "summary", "options", "body")),
        list(Image.objects.values_list("alt_text", "caption", "credit", "status", "digest")),
    )


def every_admin_path(client, live):
    """A superuser tries every way the admin offers to change live text."""
    article, claim = live["article"], live["claim"]
    # Change forms of every kind.
    client.post(f"/admin/articles/article/{article.pk}/change/", article_form(article, body="X."))
    client.post(
        f"/admin/citations/claim/{claim.pk}/change/",
        {
            "key": "fast",
            "statement": "Changed.",
            "opened_version": claim.version,
            "citations-TOTAL_FORMS": 1,
            "citations-INITIAL_FORMS": 1,
            "citations-0-id": live["citation"].pk,
            "citations-0-claim": claim.pk,
            "citations-0-source": live["citation"].source_id,
            "citations-0-locator": "Table 2",
            "citations-0-position": 0,
        },
    )
    source = Source.objects.get()
    client.post(
        f"/admin/citations/source/{source.pk}/change/",
        {
            "key": source.key,
            "title": "Changed title",
            "kind": source.kind,
            "publisher": source.publisher,
            "notes": "Changed public description.",
            "opened_version": source.version,
        },
    )
    term = Term.objects.get()
    client.post(
        f"/admin/glossary/term/{term.pk}/change/",
        {"term": "NMDA", "slug": "nmda", "aliases": "", "body": "Changed.", "opened_version": 1},
    )
    figure = Figure.objects.get()
    client.post(
        f"/admin/figures/figure/{figure.pk}/change/",
        {
            "key": "synapse",
            "title": "Changed",
            "body": FIGURE_BODY.replace("One", "Uno"),
            "opened_version": figure.version,
        },
    )
    image = Image.objects.get()
    client.post(
        f"/admin/images/image/{image.pk}/change/",
        {
            "key": "room",
            "alt_text": "Changed.",
            "credit": image.credit,
            "status": "published",
            "opened_version": image.version,
        },
    )
    page = Page.objects.get()
    client.post(
        f"/admin/pages/page/{page.pk}/change/",
        {
            "title": "Ask",
            "slug": "ask",
            "summary": "Questions.",
            "body": "Changed.",
            "opened_version": page.version,
        },
    )
    question = Question.objects.get()
    client.post(
        f"/admin/faqs/question/{question.pk}/change/",
        {
            "question": "Changed?",
            "slug": "q",
            "topic": "about",
            "position": 0,
            "body": "Yes.[@fast]",
            "status": "published",
            "opened_version": question.version,
        },
    )
    block = live["block"]
    client.post(
        f"/admin/clinics/contactblock/{block.pk}/change/",
        {
            "name": block.name,
            "key": block.key,
            "placement": "footer",
            "active": "on",
            "position": "3",
            "heading": "Changed heading",
            "clinic_name": block.clinic_name,
            "phone": "(503) 555-0199",
            "country": "US",
            "opened_version": block.version,
            "hours-TOTAL_FORMS": "1",
            "hours-INITIAL_FORMS": "1",
            "hours-0-id": block.hours.get().pk,
            "hours-0-block": block.pk,
            "hours-0-day": "1",
            "hours-0-opens": "10:00",
            "hours-0-closes": "17:00",
        },
    )
    comparison = Comparison.objects.get()
    client.post(
        f"/admin/decisions/comparison/{comparison.pk}/change/",
        {
            "title": "Changed",
            "slug": "choices",
            "summary": "Two options.",
            "options": "Pills\r\nTalking",
            "body": COMPARISON_BODY.replace("Some.", "More."),
            "opened_version": comparison.version,
        },
    )
    # New sources and claims are public once stored (the source pages list them all).
    client.post(
        "/admin/citations/source/add/",
        {"key": "new", "title": "New", "kind": "trial", "publisher": "J", "notes": "New."},
    )
    client.post(
        "/admin/citations/claim/add/",
        {
            "key": "new-claim",
            "statement": "A new statement.",
            "citations-TOTAL_FORMS": 1,
            "citations-INITIAL_FORMS": 0,
            "citations-0-source": source.pk,
            "citations-0-locator": "Table 9",
            "citations-0-position": 0,
        },
    )
    synonym = Synonym.objects.get()
    client.post(
        f"/admin/search/synonym/{synonym.pk}/change/",
        {"term": "NMDA", "variants": "other words", "key": "nmda", "opened_version": 1},
    )
    bet = BestBet.objects.get()
    client.post(
        f"/admin/search/bestbet/{bet.pk}/change/",
        {"query": "receptor", "position": 1, "article": article.pk, "opened_version": 1},
    )
    client.post(
        "/admin/clinics/contactblock/",
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-0-id": block.pk,
            "form-0-position": 9,
            "form-0-active": "on",
            "_save": "Save",
        },
    )
    # List-view editing: the article order.
    articles = list(Article.objects.order_by("pk"))
    data = {
        "form-TOTAL_FORMS": len(articles),
        "form-INITIAL_FORMS": len(articles),
        "_save": "Save",
    }
    for i, a in enumerate(articles):
        data.update({f"form-{i}-id": a.pk, f"form-{i}-position": 100 - a.position})
    client.post("/admin/articles/article/", data)
    # Bulk actions (all but unpublishing, which takes a page down and is a reviewer's act).
    for action in ("submit_for_review", "send_back_to_draft", "publish", "record_review"):
        client.post(
            "/admin/articles/article/",
            {"action": action, "_selected_action": [a.pk for a in articles], "index": 0},
        )
    # Revert to an earlier revision.
    article.refresh_from_db()
    article.history.update(body="An old text.")  # a revision that differs from the live text
    first = article.history.earliest()
    client.post(
        f"/admin/articles/article/{article.pk}/history/{first.history_id}/",
        article_form(article, body="An old text.", _save="Revert"),
    )


def test_no_admin_path_changes_live_text_without_a_reviewers_publish(live, staff_client):
    before_pages, before_db = public_text(), database()
    every_admin_path(staff_client, live)
    assert database() == before_db
    assert public_text() == before_pages
    # Each of them is waiting for review instead: every kind the registry declares.
    kinds = set(PendingChange.objects.values_list("content_type__model", flat=True))
    assert kinds >= {model._meta.model_name for model in registry.models()}


def test_content_files_change_live_text_only_with_the_operators_flag(
    live, content_dir, tmp_path, reviewer
):
    out = tmp_path / "files"
    call_command("export_content", str(out), stdout=StringIO())
    for path in [out / "claims" / "fast.yaml", out / "glossary" / "nmda.md"]:
        path.write_text(
            path.read_text()
            .replace("It can work within hours.", "Quicker.")
            .replace("A switch.", "Another text.")
        )
    article_file = out / "articles" / "how.md"
    article_file.write_text(article_file.read_text().replace("The NMDA receptor.", "Changed."))
    before_pages, before_db = public_text(), database()
    output = StringIO()
    call_command("load_content", str(out), stdout=output)
    assert "for review claims/fast.yaml" in output.getvalue()
    assert database() == before_db and public_text() == before_pages
    assert PendingChange.objects.filter(origin__startswith="content file").count() == 3

    call_command("load_content", str(out), "--publish", stdout=StringIO())
    assert Claim.objects.get().statement == "Quicker."
    assert "Changed." in Article.objects.get(slug="how").body
    record = Claim.objects.get().history.first()
    assert record.history_change_reason == (
        "Published from claims/fast.yaml by the operator (--publish)"
    )


# --- refusals: review dates ----------------------------------------------------------------


def test_review_dates_are_refused_in_the_reviewers_screens(live, reviewer_client):
    article = ArticleFactory(slug="draft", status=Status.REVIEW)
    before = database()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = reviewer_client.post(
        "/admin/articles/article/",
        {"action": "publish", "_selected_action": [article.pk], "index": 0},
    )
    page = reviewer_client.post(
        response["Location"],
        {"confirm": "on", "credentials": "Dana Lee, MD", "next_review_due": yesterday},
    )
    assert "The next review must come after" in page.content.decode()
    from ketamine_info.editorial import review

    change = review.propose(Claim, {"statement": "New."}, live=live["claim"])
    page = reviewer_client.post(
        f"/admin/editorial/pendingchange/{change.pk}/change/",
        {"publish": "1", "confirm": "on", "credentials": "Dana Lee, MD", "next_review_due": "x"},
    )
    assert page.status_code == 200
    assert database() == before


def test_review_dates_are_refused_by_the_model_and_the_database(live):
    article = live["article"]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    article.last_reviewed = tomorrow
    with pytest.raises(Exception, match="future"):
        article.full_clean()
    article.last_reviewed = dt.date(2026, 5, 1)
    article.next_review_due = dt.date(2026, 4, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        article.save()


@pytest.mark.parametrize(
    "fields, problem",
    [
        ("last_reviewed: 2099-01-01\n", "cannot be dated in the future"),
        (
            "last_reviewed: 2026-05-01\nnext_review_due: 2026-04-01\n",
            "must come after the last one",
        ),
    ],
    ids=["future review", "next before last"],
)
def test_review_dates_are_refused_by_load_content(content_dir, fields, problem):
    call_command("load_content", str(content_dir), "--publish", stdout=StringIO())
    before = database()
    path = content_dir / "articles" / "first-article.md"
    path.write_text(path.read_text().replace("topic: about\n", "topic: about\n" + fields))
    for flags in ([], ["--publish"]):
        with pytest.raises(CommandError, match=problem):
            call_command("load_content", str(content_dir), *flags, stdout=StringIO())
        assert database() == before


# --- refusals: evidence ----------------------------------------------------------------------


def test_a_claim_live_pages_cite_cannot_be_deleted_in_the_admin_or_in_bulk(live, staff_client):
    claim = live["claim"]
    before = database()
    page = staff_client.get(f"/admin/citations/claim/{claim.pk}/delete/").content.decode()
    assert "is cited by live pages" in page and 'href="/learn/how/"' in page
    staff_client.post(f"/admin/citations/claim/{claim.pk}/delete/", {"post": "yes"})
    bulk = staff_client.post(
        "/admin/citations/claim/",
        {"action": "delete_selected", "_selected_action": [claim.pk], "post": "yes"},
    )
    assert "is cited by live pages" in bulk.content.decode()
    assert database() == before


def test_a_source_that_live_claims_cite_cannot_be_deleted(live, staff_client):
    source = live["citation"].source
    before = database()
    page = staff_client.get(f"/admin/citations/source/{source.pk}/delete/").content.decode()
    assert "backs claims that live pages cite" in page and 'href="/learn/how/"' in page
    staff_client.post(
        "/admin/citations/source/",
        {"action": "delete_selected", "_selected_action": [source.pk], "post": "yes"},
    )
    assert database() == before


def test_no_code_path_deletes_evidence_in_use(live):
    from django.db.models import ProtectedError

    before = database()
    with pytest.raises(ProtectedError), transaction.atomic():
        live["claim"].delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        live["citation"].delete()  # the claim's last citation
    with pytest.raises(ProtectedError), transaction.atomic():
        Claim.objects.filter(key="fast").delete()
    assert database() == before


def test_a_claim_no_live_page_cites_can_be_deleted(staff_client):
    claim = CitationFactory().claim
    staff_client.post(f"/admin/citations/claim/{claim.pk}/delete/", {"post": "yes"})
    assert not Claim.objects.exists()


def test_load_content_refuses_to_leave_a_live_page_citing_nothing(content_dir):
    call_command("load_content", str(content_dir), "--publish", stdout=StringIO())
    before = database()
    claim = content_dir / "claims" / "fast-effect.yaml"
    claim.write_text("statement: In one small study, symptoms improved.\ncitations: []\n")
    with pytest.raises(CommandError, match="must list at least one source"):
        call_command("load_content", str(content_dir), "--publish", stdout=StringIO())
    assert database() == before
    shutil.copy(FIXTURES / "claims" / "fast-effect.yaml", claim)  # back as it was
    article = content_dir / "articles" / "first-article.md"
    article.write_text(article.read_text().replace("[@fast-effect]", "[@gone-claim]", 1))
    with pytest.raises(CommandError, match="Unknown claim key 'gone-claim'"):
        call_command("load_content", str(content_dir), "--publish", stdout=StringIO())
    assert database() == before
