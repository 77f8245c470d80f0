"""The "weigh it up" exercise: a plain form; its POST answers with a one-page summary that is
private and never stored, sets no cookie, and is accepted only from this site's own page (by
its Origin header, since public pages have no CSRF cookie); bad answers are refused clearly."""

import pytest

WEIGH = "/compare/depression-not-responding/weigh/"
ORIGIN = "http://testserver"
ANSWERS = {
    "value-speed": "a-lot",
    "value-memory": "some",
    "leaning": "6",
    "sure-sure": "no",
    "sure-understand": "yes",
    "know-elektd-psychosis": "yes",
    "know-anesthesia": "ect",
    "own-questions": "Can I keep working? <script>alert(1)</script>",
}


def post(client, data, **headers):
    return client.post(WEIGH, data, headers=headers)


def test_the_form_works_without_script_and_sets_no_cookie(client, shipped_content):
    response = client.get(WEIGH)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" action=""' in html
    assert "csrfmiddlewaretoken" not in html and "<script" not in html.split("<main")[-1]
    assert 'name="value-speed"' in html and 'name="sure-encouragement"' in html
    assert 'name="leaning" value="7"' in html and 'name="know-biggest-number"' in html
    assert not response.cookies


def test_the_summary_shows_the_answers_privately(client, shipped_content):
    response = post(client, ANSWERS, origin=ORIGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert response["Cache-Control"].replace(" ", "") in ("private,no-store", "no-store,private")
    assert not response.cookies
    assert "Feeling better fast" in html and "Matters a lot" in html
    assert "Where I am leaning" in html
    assert "<p>ECT</p>" in html
    assert "may not be ready to decide" in html
    # A wrong answer is corrected and explained, with its source; a right one is confirmed.
    assert "The right answer: No." in html and 'href="/sources/anand-2023-elektd/"' in html
    assert "Your answer was right." in html
    # What the person typed comes back escaped, never as markup.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html


@pytest.mark.parametrize(
    "origin", [None, "null", "https://evil.example.com", "http://testserver.evil"]
)
def test_a_post_from_anywhere_else_is_refused(client, shipped_content, origin):
    headers = {"origin": origin} if origin else {}
    response = post(client, ANSWERS, **headers)
    assert response.status_code == 403
    assert b"Can I keep working" not in response.content
    assert "no-store" in response["Cache-Control"]


def test_an_answer_that_is_not_a_choice_is_refused_with_a_clear_error(client, shipped_content):
    response = post(client, {**ANSWERS, "value-speed": "everything"}, origin=ORIGIN)
    assert response.status_code == 400
    html = response.content.decode()
    assert "was not one of the choices" in html and "Feeling better fast" in html
    assert "no-store" in response["Cache-Control"]
    too_long = post(client, {"own-questions": "x" * 601}, origin=ORIGIN)
    assert too_long.status_code == 400 and b"too long" in too_long.content


def test_other_public_pages_still_refuse_a_post(client, shipped_content):
    assert client.post("/compare/depression-not-responding/", {}).status_code == 405
    assert client.post("/about/", {}, headers={"origin": ORIGIN}).status_code == 405


def test_the_answers_never_reach_the_address(client, shipped_content):
    response = post(client, ANSWERS, origin=ORIGIN)
    assert response.status_code == 200 and not response.has_header("Location")
    # The form posts to its own address, with no query string.
    assert 'action=""' in client.get(WEIGH).content.decode()


def test_the_aid_and_about_say_who_publishes_and_pays(client, shipped_content, settings):
    aid = client.get("/compare/depression-not-responding/").content.decode()
    assert "Who made this page, and who pays" in aid
    assert "has not yet filled in who publishes it" in aid
    assert "provide or sell any of the treatments compared here" in aid
    assert "at least once a year" in aid and "Last updated" in aid
    settings.SITE_PUBLISHER = "Example Health Trust"
    settings.SITE_FUNDING = "Paid for by a grant; it provides none of these treatments."
    aid = client.get("/compare/depression-not-responding/?q=serious-risks").content.decode()
    assert "published by Example Health Trust" in aid and "Paid for by a grant" in aid
