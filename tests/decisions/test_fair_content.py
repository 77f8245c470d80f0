"""The decision aid tells every option with the same care: each result names who was studied,
when it was measured and against what; pictures come in pairs and never for a study without a
comparison group; every option has a certainty word; ECT's limits and the trial populations are
on the page; claims cite sources that say what the claim says."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from ketamine_info.contentsync.fileformat import load_markdown

AID = settings.CONTENT_DIR / "decisions" / "depression-not-responding.md"
ARTICLE = settings.CONTENT_DIR / "articles" / "how-well-does-it-work.md"
CERTAINTY = re.compile(r"^(High|Moderate|Low|Very low):", re.M)


def sections(body: str) -> dict[str, dict[str, str]]:
    """{question: {option: cell text}} from the aid's Markdown."""
    rows = {}
    for block in re.split(r"^## ", body, flags=re.M)[1:]:
        question, _, rest = block.partition("\n")
        cells = re.split(r"^### ", rest, flags=re.M)[1:]
        rows[question.strip()] = {c.partition("\n")[0].strip(): c.partition("\n")[2] for c in cells}
    return rows


@pytest.fixture(scope="module")
def aid():
    _, body = load_markdown(AID.read_text(), AID)
    return body, sections(body)


def icon_numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"^\[\[icons (\d+):", text, flags=re.M)]


def test_icon_arrays_come_in_pairs_in_every_cell_and_article(aid):
    _, rows = aid
    for question, cells in rows.items():
        for option, cell in cells.items():
            assert len(icon_numbers(cell)) % 2 == 0, f"{question} / {option}: an unpaired picture"
    _, article = load_markdown(ARTICLE.read_text(), ARTICLE)
    for paragraph_run in re.split(r"\n## ", article):
        assert len(icon_numbers(paragraph_run)) % 2 == 0, paragraph_run[:60]


def test_no_picture_for_the_study_without_a_comparison_group():
    _, article = load_markdown(ARTICLE.read_text(), ARTICLE)
    assert "[[icons 71" not in article
    assert "no comparison group" in article


def test_ketamine_against_ect_is_never_shown_without_its_population_and_limits(aid):
    body, rows = aid
    ketamine = rows["How well does it work?"]["IV ketamine (off-label)"]
    assert "without psychosis" in ketamine and "referred for ECT" in ketamine
    assert "3 weeks" in ketamine
    assert "33 people left the ECT group and 5 left the ketamine group" in ketamine
    assert "rated their own depression" in ketamine
    ect = rows["How well does it work?"]["ECT"]
    assert "63 out of 100" in ect and "46 out of 100" in ect and "in hospital" in ect
    # Who should ask about ECT first, before any numbers.
    intro = body.split("## ")[0]
    assert "Ask about ECT first" in intro and "psychotic depression" in intro
    assert "988" in intro
    _, article = load_markdown(ARTICLE.read_text(), ARTICLE)
    for text in (body, article):
        for match in re.finditer(r"55 out of 100", text):
            nearby = text[max(0, match.start() - 400) : match.end() + 400]
            assert "psychosis" in nearby, "55 vs 41 without its population"


def test_every_option_has_a_certainty_word_and_what_would_change_it(aid):
    _, rows = aid
    certainty = rows["How sure are we?"]
    assert len(certainty) == 7
    for option, cell in certainty.items():
        assert CERTAINTY.match(cell.strip()), option
        assert "could change" in cell, option


def test_each_result_names_its_time_point_and_comparison(aid):
    _, rows = aid
    well = rows["How well does it work?"]
    time_points = {
        "Switch or add a medicine": "12 weeks",
        "Talking therapy": "6 months",
        "Esketamine nasal spray": "4 weeks",
        "IV ketamine (off-label)": "3 weeks",
        "ECT": "12 sessions",
        "rTMS": "13 sessions",
    }
    for option, when in time_points.items():
        assert when in well[option], option
        assert "compared with" in well[option] or "than usual care" in well[option], option
    esketamine = well["Esketamine nasal spray"]
    assert "new antidepressant pill and a dummy spray" in esketamine
    assert "65 and over" in esketamine and "27 compared with 13" in esketamine
    # Response and remission for the medicine option, not remission alone.
    medicine = well["Switch or add a medicine"]
    assert "Response:" in medicine and "Remission:" in medicine
    # Where no comparable figure exists, the cell says so.
    assert "No remission figure" in well["Talking therapy"]
    # CoBalT: CBT added against usual care (mostly staying on the same medicine), at 6 months.
    talking = well["Talking therapy"]
    assert "about 46 out of 100" in talking and "about 22 out of 100" in talking
    assert "6 months" in talking and "usual care alone" in talking
    assert "about 22 out of 100" in well["Keep your current plan"]


def test_harms_and_burden_are_told_for_every_option(aid):
    _, rows = aid
    assert "five risks" in rows["Serious risks"]["Esketamine nasal spray"]
    ect_risk = rows["Serious risks"]["ECT"] + rows["Common side effects"]["ECT"]
    assert "memory" in ect_risk and "thinking tests" in ect_risk
    assert set(rows["What if you stop?"]) == set(rows["How well does it work?"])


def test_claims_cite_registered_sources_and_no_doi_is_registered_twice():
    sources = {}
    for path in (settings.CONTENT_DIR / "sources").glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        if data.get("doi"):
            assert data["doi"] not in sources.values(), f"{path.stem}: DOI registered twice"
            sources[path.stem] = data["doi"]
    bipolar = (
        settings.CONTENT_DIR / "faqs" / "can-ketamine-help-bipolar-depression.md"
    ).read_text()
    for sentence in re.split(r"(?<=[.\]])\s+", bipolar):
        if "mania" in sentence:
            assert "bipolar-ketamine-few-trials" not in sentence


def test_bipolar_disorder_is_among_the_cautions():
    risks = (settings.CONTENT_DIR / "articles" / "side-effects-and-risks.md").read_text()
    caution = risks.split("## Who needs to be extra careful")[1].split("\n## ")[0]
    assert "**Bipolar disorder.**" in caution
    assert (
        "bipolar" in (settings.CONTENT_DIR / "faqs" / "who-should-not-have-ketamine.md").read_text()
    )


def test_post_hoc_and_maker_run_analyses_are_not_labelled_as_plain_trials():
    for key in ("turkoz-2021-transform-pooled", "katz-2021-esketamine-benefit-risk"):
        data = yaml.safe_load((settings.CONTENT_DIR / "sources" / f"{key}.yaml").read_text())
        assert data["kind"] == "post-hoc", key
    assert (
        yaml.safe_load((settings.CONTENT_DIR / "sources" / "sanacora-2017.yaml").read_text())[
            "kind"
        ]
        == "consensus"
    )
    murrough = yaml.safe_load(
        (settings.CONTENT_DIR / "sources" / "murrough-2013-repeated-infusions.yaml").read_text()
    )
    assert murrough["kind"] == "uncontrolled"


def test_every_marker_in_the_aid_names_a_claim_file(aid):
    body, _ = aid
    keys = re.findall(r"@([a-z0-9-]+)", " ".join(re.findall(r"\[@[^\]]+\]", body)))
    for key in keys:
        assert Path(settings.CONTENT_DIR / "claims" / f"{key}.yaml").exists(), key
