"""load_content / export_content: idempotent, all or nothing, respectful of staff edits."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ketamine_info.articles.models import Article
from ketamine_info.citations.models import Citation, Claim, Source

pytestmark = pytest.mark.django_db


def load(path, *args):
    """As the operator loads: publishing straight from the files (tests/contentsync/
    test_load_for_review.py covers loading without --publish)."""
    out = StringIO()
    call_command("load_content", str(path), "--publish", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything the loader can change, as comparable values."""
    return (
        list(Article.objects.values_list("slug", "title", "summary", "body", "status")),
        list(Claim.objects.values_list("key", "statement")),
        list(Citation.objects.values_list("claim__key", "source__key", "locator", "excerpt")),
        list(Source.objects.values_list("key", "title", "kind", "published", "pmid")),
    )


def test_first_load_creates_everything(content_dir):
    output = load(content_dir)
    assert "created 6, updated 0, unchanged 0, skipped 0" in output
    article = Article.objects.get(slug="first-article")
    assert article.claim_keys == ["fast-effect", "agency-warning"]
    assert 'href="#ref-1"' in article.body_html
    assert Source.objects.get(key="agency-page").published == "2023"
    assert Source.objects.get(key="trial-one").author_list == ["Doe J", "Roe R"]


def test_second_load_changes_nothing_and_says_so(content_dir):
    load(content_dir)
    before = snapshot()
    updated_at = Article.objects.get(slug="first-article").updated
    output = load(content_dir)
    assert (
        "created 0, updated 0, unchanged 6, skipped 0, waiting for review 0: nothing to change"
        in output
    )
    assert snapshot() == before
    assert Article.objects.get(slug="first-article").updated == updated_at


def test_changed_file_updates_its_record(content_dir):
    load(content_dir)
    path = content_dir / "articles" / "first-article.md"
    path.write_text(path.read_text().replace("It may act fast.", "It may act quickly."))
    output = load(content_dir)
    assert "updated   articles/first-article.md" in output
    assert "quickly" in Article.objects.get(slug="first-article").body_html


BROKEN_FILES = {
    "bad YAML": ("articles/first-article.md", "---\ntitle: [unclosed\n---\nBody\n", "invalid YAML"),
    "missing field": (
        "articles/first-article.md",
        "---\ntitle: T\nsummary: S\nposition: 1\nstatus: published\n---\nBody\n",
        "missing required field 'topic'",
    ),
    "unknown field": (
        "articles/first-article.md",
        "---\ntitle: T\nsummary: S\nposition: 1\nstatus: published\ntopic: about\nauthor: X\n"
        "---\nBody\n",
        "unknown field 'author'",
    ),
    "duplicate field": (
        "articles/first-article.md",
        "---\ntitle: T\ntitle: U\nsummary: S\nposition: 1\nstatus: published\ntopic: about\n"
        "---\nBody\n",
        "the field 'title' appears twice",
    ),
    "summary too long": (
        "articles/first-article.md",
        "---\ntitle: T\nsummary: " + "x" * 161 + "\nposition: 1\nstatus: published\ntopic: about\n"
        "---\nBody\n",
        "summary: Ensure this value has at most 160 characters",
    ),
    "wrong type": (
        "articles/first-article.md",
        "---\ntitle: T\nsummary: S\nposition: first\nstatus: published\ntopic: about\n---\nBody\n",
        "'position' must be a whole number",
    ),
    "unknown topic": (
        "articles/first-article.md",
        "---\ntitle: T\nsummary: S\nposition: 1\nstatus: published\ntopic: cats\n---\nBody\n",
        "topic: Value 'cats' is not a valid choice",
    ),
    "unknown status": (
        "articles/first-article.md",
        "---\ntitle: T\nsummary: S\nposition: 1\nstatus: live\ntopic: about\n---\nBody\n",
        "status: Value 'live' is not a valid choice",
    ),
    "old published flag": (
        "articles/first-article.md",
        "---\ntitle: T\nsummary: S\nposition: 1\npublished: true\ntopic: about\n---\nBody\n",
        "unknown field 'published'",
    ),
    "bad review date": (
        "articles/first-article.md",
        "---\ntitle: T\nsummary: S\nposition: 1\nstatus: draft\ntopic: about\n"
        "last_reviewed: soon\n---\nBody\n",
        "last_reviewed",
    ),
    "unknown claim key": (
        "articles/first-article.md",
        "---\ntitle: T\nsummary: S\nposition: 1\nstatus: published\ntopic: about\n---\n"
        "Text.[@no-such-claim]\n",
        "Unknown claim key 'no-such-claim'",
    ),
    "malformed marker": (
        "articles/first-article.md",
        "---\ntitle: T\nsummary: S\nposition: 1\nstatus: published\ntopic: about\n---\n"
        "Text.[@Bad Key]\n",
        "Malformed claim marker [@Bad Key]",
    ),
    "unknown source key": (
        "claims/fast-effect.yaml",
        "statement: S\ncitations:\n- source: no-such-source\n",
        "unknown source key 'no-such-source'",
    ),
    "claim without citations": ("claims/fast-effect.yaml", "statement: S\n", "at least one"),
    "excerpt too long": (
        "claims/fast-effect.yaml",
        "statement: S\ncitations:\n- source: trial-one\n  excerpt: " + "y" * 301 + "\n",
        "excerpt: Ensure this value has at most 300 characters",
    ),
    "YAML alias bomb": (
        "claims/fast-effect.yaml",
        "statement: &a S\ncitations:\n- source: *a\n",
        "anchors and aliases are not allowed",
    ),
    "bad file name": ("articles/Bad Name.md", "---\ntitle: T\n---\nx\n", "bad file name"),
    "stray file": ("articles/notes.txt", "hello", "unexpected file"),
    "not UTF-8": ("claims/fast-effect.yaml", b"statement: caf\xe9\n", "not valid UTF-8"),
    "no front matter": ("articles/first-article.md", "# Just Markdown\n", "must start with '---'"),
    "old address of another article": (
        "articles/first-article.md",
        "---\ntitle: T\nsummary: S\nposition: 1\nstatus: published\ntopic: about\n"
        "old_slugs:\n- draft-article\n---\nBody\n",
        "'old_slugs': draft-article is another article's address",
    ),
    "impossible date": (
        "articles/first-article.md",
        "---\ntitle: T\nsummary: S\nposition: 1\nstatus: draft\ntopic: about\n"
        "last_reviewed: 2026-02-30\n---\nBody\n",
        "day is out of range for month",
    ),
    "impossible date in YAML": (
        "sources/trial-one.yaml",
        "title: T\nkind: trial\npublisher: P\npublished: 2026-13-01\n",
        "month must be in 1..12",
    ),
    "20,000 nested [": (
        "articles/first-article.md",
        "---\ntitle: " + "[" * 20_000 + "\n---\nBody\n",
        "nested too deeply",
    ),
    "20,000 nested [ in YAML": ("claims/fast-effect.yaml", "statement: " + "[" * 20_000, "nested"),
    "a 40 KB field": (
        "sources/trial-one.yaml",
        "title: T\nkind: trial\npublisher: P\nnotes: " + "n" * 40_000 + "\n",
        "'notes' is 40,000 characters long; at most 10,000",
    ),
    "a 2 MB file": (
        "sources/trial-one.yaml",
        "title: T\nkind: trial\npublisher: P\n# " + "x" * 2_000_000 + "\n",
        "a content file is at most 262,144",
    ),
    "a number too big for the database": (
        "articles/first-article.md",
        "---\ntitle: T\nsummary: S\nposition: " + "9" * 30 + "\nstatus: draft\ntopic: about\n"
        "---\nBody\n",
        "position",
    ),
    "bad DOI": (
        "sources/trial-one.yaml",
        "title: T\nkind: trial\npublisher: P\ndoi: not-a-doi\n",
        "doi: A DOI starts with 10.",
    ),
}


@pytest.mark.parametrize("case", BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
def test_a_broken_file_aborts_the_whole_load_and_names_the_file(content_dir, case):
    load(content_dir)
    # A valid change elsewhere must not be applied either: all or nothing.
    other = content_dir / "claims" / "agency-warning.yaml"
    other.write_text(other.read_text().replace("unsupervised use", "home use"))
    before = snapshot()

    relative, text, problem = case
    path = content_dir / relative
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(CommandError) as error:
        load(content_dir)
    message = str(error.value)
    assert "Nothing was loaded" in message
    assert str(path) in message
    assert problem in message
    assert snapshot() == before


def test_a_broken_file_on_first_load_leaves_an_empty_database(content_dir):
    (content_dir / "claims" / "fast-effect.yaml").write_text("statement: [\n")
    with pytest.raises(CommandError):
        load(content_dir)
    assert snapshot() == ([], [], [], [])


def test_every_bad_file_is_reported_at_once(content_dir):
    (content_dir / "claims" / "fast-effect.yaml").write_text("statement: [\n")
    (content_dir / "sources" / "trial-one.yaml").write_text("title: only\n")
    with pytest.raises(CommandError) as error:
        load(content_dir)
    assert "fast-effect.yaml" in str(error.value)
    assert "trial-one.yaml" in str(error.value)


def test_staff_edits_are_kept_and_reported(content_dir):
    load(content_dir)
    article = Article.objects.get(slug="first-article")
    article.title = "Edited by staff"
    article.save()
    path = content_dir / "articles" / "first-article.md"
    path.write_text(path.read_text().replace("It may act fast.", "Changed in the file."))

    output = load(content_dir)
    assert "skipped   articles/first-article.md (changed in the admin" in output
    assert "skipped 1" in output
    article.refresh_from_db()
    assert article.title == "Edited by staff"
    assert "Changed in the file" not in article.body

    output = load(content_dir, "--force")
    assert "updated   articles/first-article.md" in output
    article.refresh_from_db()
    assert article.title == "The first article"
    assert "Changed in the file" in article.body


def test_staff_edit_to_a_claims_citations_is_kept(content_dir):
    load(content_dir)
    claim = Claim.objects.get(key="fast-effect")
    claim.citations.update(locator="Table 2")
    output = load(content_dir)
    assert "skipped   claims/fast-effect.yaml" in output
    assert claim.citations.get().locator == "Table 2"


def test_a_record_staff_created_with_the_same_key_is_not_overwritten(content_dir):
    Claim.objects.create(key="fast-effect", statement="Staff wrote this first.")
    load(content_dir)
    assert Claim.objects.get(key="fast-effect").statement == "Staff wrote this first."


def test_export_reproduces_the_files_byte_for_byte(content_dir, tmp_path):
    load(content_dir)
    out = tmp_path / "exported"
    call_command("export_content", str(out), stdout=StringIO())
    for original in content_dir.rglob("*.*"):
        copy = out / original.relative_to(content_dir)
        assert copy.read_bytes() == original.read_bytes(), original


def test_export_includes_staff_changes_and_a_reload_is_a_no_op(content_dir, tmp_path):
    load(content_dir)
    Claim.objects.filter(key="fast-effect").update(statement="Reworded by staff.")
    out = tmp_path / "exported"
    call_command("export_content", str(out), stdout=StringIO())
    assert "Reworded by staff." in (out / "claims" / "fast-effect.yaml").read_text()
    assert "nothing to change" in load(out)


def test_export_mirrors_the_database(content_dir, tmp_path):
    load(content_dir)
    out = tmp_path / "exported"
    shutil.copytree(content_dir, out)
    (out / "articles" / "gone.md").write_text("stale")
    call_command("export_content", str(out), stdout=StringIO())
    assert not (out / "articles" / "gone.md").exists()


def test_shipped_content_round_trips(shipped_content, tmp_path):
    from django.conf import settings

    out = tmp_path / "exported"
    call_command("export_content", str(out), stdout=StringIO())
    originals = sorted(
        p.relative_to(settings.CONTENT_DIR)
        for p in settings.CONTENT_DIR.rglob("*")
        if p.is_file() and p.suffix in {".md", ".yaml"}
    )
    exported = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert exported == originals
    for relative in originals:
        assert (out / relative).read_bytes() == (settings.CONTENT_DIR / relative).read_bytes()


REVIEWED_ARTICLE = """---
title: A reviewed article
summary: Reviewed.
position: 3
status: published
topic: about
last_reviewed: 2026-10-01
reviewed_by: Dana Lee, MD
next_review_due: 2027-10-01
---
Reviewed text.[@fast-effect]
"""


def test_status_and_review_fields_load_and_round_trip(content_dir, tmp_path):
    import datetime as dt

    (content_dir / "articles" / "reviewed.md").write_text(REVIEWED_ARTICLE)
    load(content_dir)
    article = Article.objects.get(slug="reviewed")
    assert article.status == "published"
    assert article.last_reviewed == dt.date(2026, 10, 1)
    assert article.reviewed_by_name == "Dana Lee, MD" and article.reviewed_by is None
    assert article.next_review_due == dt.date(2027, 10, 1)
    assert Article.objects.get(slug="draft-article").status == "draft"
    out = tmp_path / "exported"
    call_command("export_content", str(out), stdout=StringIO())
    assert (out / "articles" / "reviewed.md").read_text() == REVIEWED_ARTICLE


def test_a_review_recorded_in_the_admin_exports_the_reviewers_name(content_dir, tmp_path, reviewer):
    load(content_dir)
    article = Article.objects.get(slug="first-article")
    article.record_review(reviewer, confirmed=True)
    out = tmp_path / "exported"
    call_command("export_content", str(out), stdout=StringIO())
    text = (out / "articles" / "first-article.md").read_text()
    assert "reviewed_by: Dana Lee\n" in text
    assert "nothing to change" in load(out)
    article.refresh_from_db()
    assert article.reviewed_by == reviewer  # the login is kept, not replaced by the name


def test_loading_leaves_a_revision_saying_where_it_came_from(content_dir):
    load(content_dir)
    record = Article.objects.get(slug="first-article").history.get()
    # Published straight from the file: the history says so, and says it was the operator.
    assert record.history_change_reason == (
        "Published from articles/first-article.md by the operator (--publish)"
    )


def test_last_updated_comes_from_the_file_never_from_the_day_of_loading(
    content_dir, tmp_path, client
):
    path = content_dir / "articles" / "first-article.md"
    path.write_text(
        path.read_text().replace("topic: about\n", "topic: about\nlast_updated: 2026-03-04\n")
    )
    load(content_dir)
    html = client.get("/learn/first-article/").content.decode()
    assert "This page has not yet been reviewed by a clinician." in html
    assert 'Last updated: <time datetime="2026-03-04">March 4, 2026</time>' in html
    assert '"dateModified": "2026-03-04"' in html
    out = tmp_path / "exported"
    call_command("export_content", str(out), stdout=StringIO())
    assert "last_updated: 2026-03-04\n" in (out / "articles" / "first-article.md").read_text()


def test_a_file_without_a_date_shows_none_rather_than_the_load_day(content_dir, client):
    load(content_dir)
    html = client.get("/learn/first-article/").content.decode()
    assert "This page has not yet been reviewed by a clinician." in html
    assert "Last updated" not in html and "dateModified" not in html


def test_shipped_pages_say_they_are_not_yet_reviewed_and_when_they_changed(shipped_content, client):
    for url in ["/learn/how-ketamine-works/", "/questions-to-ask/"]:
        html = client.get(url).content.decode()
        assert "This page has not yet been reviewed by a clinician." in html, url
        assert "Last updated: <time" in html, url
        assert "Page last reviewed" not in html, url


def test_without_the_flag_new_pages_wait_in_review(content_dir, client):
    from ketamine_info.editorial.models import PendingChange

    out = StringIO()
    call_command("load_content", str(content_dir), stdout=out)
    assert Article.objects.get(slug="first-article").status == "review"
    assert client.get("/learn/first-article/").status_code == 404
    # New drafts have nothing live to change; new sources and claims are public once stored,
    # so they wait for review.
    waiting = PendingChange.objects.values_list("content_type__model", "object_id")
    assert sorted(waiting) == [("claim", None)] * 2 + [("source", None)] * 2
    assert not Source.objects.exists() and not Claim.objects.exists()
    again = StringIO()
    call_command("load_content", str(content_dir), stdout=again)
    assert "nothing to change" in again.getvalue()  # in review stays in review


def test_old_addresses_load_as_redirects_and_go_when_removed(content_dir, client):
    path = content_dir / "articles" / "first-article.md"
    text = path.read_text()
    path.write_text(text.replace("---\n", "---\nold_slugs:\n- first-name\n- second-name\n", 1))
    load(content_dir)
    article = Article.objects.get(slug="first-article")
    assert sorted(article.old_slugs.values_list("old_slug", flat=True)) == [
        "first-name",
        "second-name",
    ]
    path.write_text(text.replace("---\n", "---\nold_slugs:\n- second-name\n", 1))
    load(content_dir)
    assert list(article.old_slugs.values_list("old_slug", flat=True)) == ["second-name"]


def test_a_fifo_is_refused_not_waited_on(content_dir):
    import os

    os.mkfifo(content_dir / "sources" / "pipe.yaml")
    with pytest.raises(CommandError) as error:
        load(content_dir)  # used to hang for ever
    assert "pipe.yaml: not a regular file" in str(error.value)


@pytest.mark.parametrize("target", ["/dev/zero", "/etc/hostname"])
def test_a_link_out_of_the_content_folder_is_refused(content_dir, target):
    (content_dir / "sources" / "linked.yaml").symlink_to(target)
    with pytest.raises(CommandError) as error:
        load(content_dir)  # /dev/zero used to fill the memory
    assert "linked.yaml: a link to a file outside the content folder" in str(error.value)


def test_a_link_inside_the_content_folder_is_read(content_dir):
    sources = content_dir / "sources"
    (sources / "trial-one.yaml").rename(content_dir / "trial-one.yaml")
    (sources / "trial-one.yaml").symlink_to(content_dir / "trial-one.yaml")
    assert "created 6" in load(content_dir)


def test_every_problem_is_a_line_not_a_traceback(content_dir):
    """The command's error names each file with its problem, and nothing else."""
    (content_dir / "articles" / "first-article.md").write_text(
        "---\ntitle: T\nsummary: S\nposition: 1\nstatus: draft\ntopic: about\n"
        "next_review_due: 2026-02-30\n---\nBody\n"
    )
    (content_dir / "claims" / "fast-effect.yaml").write_text("statement: " + "[" * 20_000)
    with pytest.raises(CommandError) as error:
        load(content_dir)
    lines = str(error.value).splitlines()
    assert lines[0].startswith("Nothing was loaded: 2 problem(s)")
    assert [line.split(": ", 1)[0] for line in lines[1:]] == [
        str(content_dir / "claims" / "fast-effect.yaml"),
        str(content_dir / "articles" / "first-article.md"),
    ]
    assert "Traceback" not in str(error.value)


@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_link_loop_is_named_not_a_traceback(content_dir, where):
    if where == "file":
        looped = content_dir / "sources" / "loop.yaml"
        looped.symlink_to(content_dir / "sources" / "ring.yaml")
        (content_dir / "sources" / "ring.yaml").symlink_to(looped)
    else:
        looped = content_dir / "faqs"  # not in the miniature tree: a folder that is a loop
        looped.symlink_to(looped)
    with pytest.raises(CommandError) as error:
        load(content_dir)
    assert f"{looped}: a link that leads back to itself (a loop)" in str(error.value)
