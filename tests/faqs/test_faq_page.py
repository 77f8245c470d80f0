"""/faq/: grouped by topic, anchors, references, FAQPage JSON-LD matching the visible text."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.contenttypes.models import ContentType

from ketamine_info.faqs.models import Question
from tests.factories import ArticleFactory, CitationFactory

pytestmark = pytest.mark.django_db


def make_question(slug, topic, position, status="published", body="Answer."):
    return Question.objects.create(
        slug=slug,
        question=f"Question {slug}?",
        topic=topic,
        position=position,
        status=status,
        body=body,
    )


class VisibleFAQ(HTMLParser):
    """Collects each question's heading and the visible text of its answer (no ref numbers)."""

    def __init__(self):
        super().__init__()
        self.items, self._mode, self._depth, self._skip = [], None, 0, 0
        self.json_ld = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("type") == "application/ld+json":
            self._mode = "ld"
            self.json_ld.append("")
        elif tag == "h3" and a.get("id", "").endswith("-q"):
            self._mode = "q"
            self.items.append({"id": a["id"][:-2], "question": "", "answer": ""})
        elif tag == "div" and a.get("class") == "answer":
            self._mode, self._depth = "a", 1
        elif self._mode == "a":
            if tag == "div":
                self._depth += 1
            if tag == "sup":
                self._skip += 1

    def handle_endtag(self, tag):
        if (self._mode == "ld" and tag == "script") or (self._mode == "q" and tag == "h3"):
            self._mode = None
        elif self._mode == "a":
            if tag == "sup":
                self._skip -= 1
            if tag == "div":
                self._depth -= 1
                if not self._depth:
                    self._mode = None

    def handle_data(self, data):
        if self._mode == "ld":
            self.json_ld[-1] += data
        elif self._mode == "q":
            self.items[-1]["question"] += data
        elif self._mode == "a" and not self._skip:
            # Less the word joiner that keeps a reference number on its word's line: invisible.
            self.items[-1]["answer"] += data.replace("\u2060", "")


def visible(html):
    parser = VisibleFAQ()
    parser.feed(html)
    for item in parser.items:
        item["answer"] = re.sub(r"\s+", " ", item["answer"]).strip()
    return parser


def test_questions_grouped_by_topic_in_order_with_topic_links(client):
    make_question("second-safety", "safety", 2)
    make_question("first-safety", "safety", 1)
    make_question("about-one", "about", 1)
    make_question("hidden", "about", 2, status="draft")
    html = client.get("/faq/").content.decode()
    assert html.index('id="topic-about"') < html.index('id="topic-safety"')
    assert html.index('id="first-safety"') < html.index('id="second-safety"')
    assert 'href="#topic-about"' in html and 'href="#topic-safety"' in html
    assert 'href="#topic-access"' not in html  # no empty topic
    assert "Question hidden?" not in html  # unpublished


def test_each_question_has_a_stable_anchor_that_links_to_itself(client):
    make_question("can-i-drive", "practicalities", 1)
    html = client.get("/faq/").content.decode()
    # The answer is folded under its question; the anchor is inside the fold, so following a
    # link to it opens the answer (tests/browser/test_phone_first_screen.py).
    fold = html[
        html.index('<details class="faq">') : html.index(
            "</details>\n", html.index('<details class="faq">')
        )
    ]
    assert '<summary><h3 id="can-i-drive-q">Question can-i-drive?</h3></summary>' in fold
    assert '<div class="answer-body" id="can-i-drive">' in fold
    assert '<a href="#can-i-drive">Link to this answer</a>' in fold
    assert Question.objects.get().get_absolute_url() == "/faq/#can-i-drive"


def test_answers_show_their_own_references_with_unique_anchors(client):
    claim = CitationFactory(claim__statement="Shared fact.").claim
    make_question("q-one", "about", 1, body=f"One.[@{claim.key}]")
    make_question("q-two", "about", 2, body=f"Two.[@{claim.key}]")
    html = client.get("/faq/").content.decode()
    for slug in ["q-one", "q-two"]:
        assert f'href="#{slug}-ref-1"' in html
        assert f'<li id="{slug}-ref-1">' in html
        assert f'href="#{slug}-cite-1-1"' in html
    assert len(re.findall(r'id="([^"]+)"', html)) == len(set(re.findall(r'id="([^"]+)"', html)))


def test_faq_json_ld_matches_the_visible_questions_and_answers(client):
    claim = CitationFactory().claim
    make_question(
        "rich",
        "about",
        1,
        body=f"It *may* help [within hours](https://example.org).[@{claim.key}]\n\n"
        f'- one & two\n- "quoted" <b>not bold</b>\n\nLast line.[@{claim.key}]',
    )
    make_question("plain", "safety", 1, body="Plain answer.")
    make_question("draft", "safety", 2, status="draft", body="Unpublished.")
    html = client.get("/faq/").content.decode()
    page = visible(html)
    blocks = [json.loads(b) for b in page.json_ld]
    faq = next(b for b in blocks if b["@type"] == "FAQPage")
    entities = faq["mainEntity"]
    assert [e["name"] for e in entities] == [i["question"] for i in page.items]
    assert [e["acceptedAnswer"]["text"] for e in entities] == [i["answer"] for i in page.items]
    assert entities[0]["acceptedAnswer"]["text"] == (
        'It may help within hours. one & two "quoted" <b>not bold</b> Last line.'
    )
    assert "Unpublished" not in json.dumps(faq)


def test_unpublished_questions_are_absent_everywhere(client):
    ArticleFactory(slug="page", topic="safety")
    make_question("secret", "safety", 1, status="draft")
    for path in ["/faq/", "/learn/page/", "/sitemap.xml", "/"]:
        assert "secret" not in client.get(path).content.decode(), path


def test_articles_list_the_questions_of_their_topic(client):
    ArticleFactory(slug="safety-page", topic="safety")
    make_question("is-it-safe", "safety", 1)
    make_question("how-fast", "about", 1)
    html = client.get("/learn/safety-page/").content.decode()
    assert "Common questions" in html
    assert 'href="/faq/#is-it-safe"' in html
    assert 'href="/faq/#how-fast"' not in html


def test_faq_page_shows_crisis_help(client):
    make_question("q", "about", 1)
    html = client.get("/faq/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert 'href="tel:988"' in main and 'href="tel:911"' in main


@pytest.mark.parametrize("language, path", [("en", "/faq/"), ("es", "/es/preguntas-frecuentes/")])
def test_shipped_faqs_cover_at_least_20_questions_and_pass_checks(
    shipped_content, client, language, path
):
    answers = Question.objects.published().in_language(language)
    assert answers.count() >= 20
    page = visible(client.get(path).content.decode())
    # Each language's page lists its own answers, every one of them.
    assert sorted(item["id"] for item in page.items) == sorted(a.slug for a in answers)
    for item in page.items:
        assert item["answer"], item["id"]


def test_admin_lists_filters_and_searches_questions(staff_client):
    make_question("drive", "practicalities", 1)
    make_question("addictive", "safety", 1, status="draft")
    html = staff_client.get("/admin/faqs/question/?topic__exact=safety").content.decode()
    assert "Question addictive?" in html and "Question drive?" not in html
    html = staff_client.get("/admin/faqs/question/?status__exact=published").content.decode()
    assert "Question drive?" in html and "Question addictive?" not in html
    html = staff_client.get("/admin/faqs/question/?q=drive").content.decode()
    assert "Question drive?" in html and "Question addictive?" not in html


def test_admin_cannot_publish_an_answer_with_an_unknown_claim(staff_client):
    question = Question.objects.create(
        slug="new", question="New?", topic="about", status="review", body="Answer.[@nope]"
    )
    response = staff_client.post(
        f"/admin/review/publish/?ct={ContentType.objects.get_for_model(Question).pk}"
        f"&ids={question.pk}",
        {"confirm": "on", "credentials": "Dana Lee, MD"},
    )
    assert "Unknown claim key &#x27;nope&#x27;" in response.content.decode()
    assert Question.objects.get().status == "review"
