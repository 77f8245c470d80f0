"""The decision aid: its content kind (load/export round trip, bad files refused with the file
named), its structure check, and the page as a browser gets it."""

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from ketamine_info.citations.models import Claim
from ketamine_info.decisions.models import Comparison

pytestmark = pytest.mark.django_db

SHIPPED = settings.CONTENT_DIR / "decisions" / "depression-not-responding.md"


@pytest.fixture
def content_copy(tmp_path):
    """A writable copy of the shipped decision aid with the claims it cites and their sources:
    the rest of content/ would take most of each load and is not what these tests are about."""
    target = tmp_path / "content"
    (target / "decisions").mkdir(parents=True)
    shutil.copy(SHIPPED, target / "decisions")
    claims = set(
        re.findall(r"@([a-z0-9-]+)", " ".join(re.findall(r"\[@[^\]]+\]", SHIPPED.read_text())))
    )
    assert len(claims) > 10
    sources = set()
    (target / "claims").mkdir()
    for key in claims:
        path = shutil.copy(settings.CONTENT_DIR / "claims" / f"{key}.yaml", target / "claims")
        sources.update(c["source"] for c in yaml.safe_load(Path(path).read_text())["citations"])
    (target / "sources").mkdir()
    for key in sources:
        shutil.copy(settings.CONTENT_DIR / "sources" / f"{key}.yaml", target / "sources")
    return target


def load(path):
    """As the operator loads: publishing straight from the files."""
    call_command("load_content", str(path), "--publish", stdout=StringIO())


def test_load_then_export_gives_back_the_same_file(content_copy, tmp_path):
    load(content_copy)
    comparison = Comparison.objects.get(slug="depression-not-responding")
    assert len(comparison.option_list) == 7
    out = tmp_path / "exported"
    call_command("export_content", str(out), stdout=StringIO())
    exported = out / "decisions" / "depression-not-responding.md"
    assert exported.read_bytes() == SHIPPED.read_bytes()


def test_every_question_has_one_cited_cell_per_option(shipped_content):
    comparison = Comparison.objects.get(slug="depression-not-responding")
    grid = comparison.grid()
    assert len(grid.rows) == 9
    for row in grid.rows:
        assert row.names == comparison.option_list
    well = grid.rows[0]
    assert well.question == "How well does it work?"
    for name, cell in zip(well.names, well.cells, strict=True):
        # A cited figure, or a plain statement that no comparable figure is shown.
        assert 'class="claim-ref"' in cell, name
        assert "out of 100" in cell or "No " in cell, name


def write_bad(content_copy, old, new):
    path = content_copy / "decisions" / "depression-not-responding.md"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("### Talking therapy\n", "### Psychotherapy\n", "needs exactly"),
        ("- rTMS\n", "", "needs exactly"),
        ("options:\n", "colour: blue\noptions:\n", "unknown field 'colour'"),
        ("[@vastd-remission-12-weeks]", "[@no-such-claim]", "Unknown claim key"),
        ("[[icons 29:", "[[icons 290:", "whole number from 0 to 100"),
    ],
)
def test_a_bad_file_is_refused_and_named(content_copy, old, new, message):
    write_bad(content_copy, old, new)
    with pytest.raises(CommandError) as caught:
        load(content_copy)
    assert "depression-not-responding.md" in str(caught.value)
    assert message in str(caught.value)
    # All or nothing: neither the decision aid nor anything loaded before it is kept.
    assert not Comparison.objects.exists() and not Claim.objects.exists()


def test_the_page_shows_a_table_with_json_ld_and_links(client, shipped_content):
    response = client.get("/compare/depression-not-responding/")
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('<table class="compare-table">')[1].split("</table>")[0]
    # With nothing chosen: the first question, every option.
    assert table.count('<th scope="col">') == 8
    assert table.count('<th scope="row">') == 1
    assert table.count("<td>") == 7
    everything = client.get("/compare/depression-not-responding/?all=1").content.decode()
    table = everything.split('<table class="compare-table">')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 9
    assert table.count("<td>") == 9 * 7
    assert '"@type": "MedicalWebPage"' in html
    assert 'href="/what-matters-to-you/"' in html
    assert 'role="img"' in html and "Picture of 100 people" in html
    assert client.get("/compare/no-such-comparison/").status_code == 404
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/compare/depression-not-responding/" in sitemap
    assert "/what-matters-to-you/" in sitemap


def test_new_pages_are_linked_from_home_navigation_and_questions(client, shipped_content):
    home = client.get("/").content.decode()
    assert home.count('href="/compare/depression-not-responding/"') >= 2  # nav and body
    assert 'href="/what-matters-to-you/"' in home
    questions = client.get("/questions-to-ask/").content.decode()
    assert 'href="/what-matters-to-you/"' in questions
    worksheet = client.get("/what-matters-to-you/").content.decode()
    assert '"@type": "MedicalWebPage"' in worksheet
    # No script runs, and nothing on the worksheet itself can be filled in and sent.
    scripts = re.findall(r"<script[^>]*>", worksheet)
    assert scripts and all('type="application/ld+json"' in tag for tag in scripts)
    body = worksheet.split('class="page-body"')[1].split("</article>")[0]
    assert "<input" not in body and "<form" not in body and "☐" in body
