"""The Spanish words of the site's own templates and code (locale/es/LC_MESSAGES/django.po).

The catalog is complete and sound (every entry translated, none fuzzy, the same placeholders and
tags as the English); the committed .mo is the .po compiled; `makemessages` finds no word the
catalog lacks; and the crisis box, the footer and the review line read in Spanish when the
language is Spanish, and exactly as before in English.

`makemessages` and `msgfmt` need GNU gettext (xgettext, msgfmt): CI installs it (.ci/run).
"""

from __future__ import annotations

import ast
import datetime
import gettext
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
PO = LOCALE / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# The folders whose files hold the words patients read (`make messages` looks at these).
WORDS = ["ketamine_info", "templates"]

# 988's Spanish option, in the words the line itself uses.
SPANISH_OPTION = "llame al 988 y marque 2, o envíe AYUDA por mensaje de texto al 988"


def needs_gettext():
    missing = [tool for tool in ("xgettext", "msgfmt", "msgmerge") if not shutil.which(tool)]
    if missing:
        pytest.fail(
            f"GNU gettext is not installed ({', '.join(missing)} missing): "
            "apt-get install gettext (CI's .ci/run installs it)."
        )


# --- Reading a .po file ------------------------------------------------------------------------


def _unquote(parts: list[str]) -> str:
    return "".join(ast.literal_eval(part) for part in parts)


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file, header included: flags, context, msgid, plural, msgstr(s).
    Obsolete entries (#~) are left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry = {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}}
        fields: dict[str, list[str]] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[current].append(line)
            else:
                current, _, rest = line.partition(" ")
                fields[current] = [rest]
        if "msgid" not in fields:
            continue
        for name in ("msgctxt", "msgid", "msgid_plural"):
            if name in fields:
                entry[name] = _unquote(fields[name])
        for name, parts in fields.items():
            if name == "msgstr":
                entry["msgstr"]["0"] = _unquote(parts)
            elif name.startswith("msgstr["):
                entry["msgstr"][name[7:-1]] = _unquote(parts)
        entries.append(entry)
    return entries


def messages(path: Path) -> set[tuple]:
    return {(e["msgctxt"], e["msgid"], e["msgid_plural"]) for e in read_po(path) if e["msgid"]}


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
TAG = re.compile(r"</?([a-z]+)\b")


def placeholders(text: str) -> Counter:
    return Counter(m.group(0) for m in PLACEHOLDER.finditer(text))


# --- The catalog itself --------------------------------------------------------------------------


def test_the_spanish_catalog_is_complete_and_nothing_is_fuzzy():
    entries = read_po(PO)
    header, *rest = entries
    assert header["msgid"] == ""
    assert "Language: es\n" in header["msgstr"]["0"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]["0"]
    assert len(rest) > 200
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert fuzzy == []
    untranslated = [
        e["msgid"]
        for e in rest
        if not e["msgstr"] or any(not text.strip() for text in e["msgstr"].values())
    ]
    assert untranslated == []
    plurals = [e["msgid"] for e in rest if e["msgid_plural"] and len(e["msgstr"]) != 2]
    assert plurals == []


@pytest.mark.parametrize(
    "entry", [e for e in read_po(PO) if e["msgid"]], ids=lambda e: e["msgid"][:40]
)
def test_each_translation_keeps_the_placeholders_and_tags_of_its_english(entry):
    english = [entry["msgid"]] + ([entry["msgid_plural"]] if entry["msgid_plural"] else [])
    for index, spanish in entry["msgstr"].items():
        source = english[min(int(index), len(english) - 1)]
        assert placeholders(spanish) == placeholders(source), (source, spanish)
        assert Counter(TAG.findall(spanish)) == Counter(TAG.findall(source)), (source, spanish)


def test_the_committed_mo_is_the_po_compiled(tmp_path):
    needs_gettext()
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(PO)], check=True)
    with MO.open("rb") as committed, fresh.open("rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == (
            gettext.GNUTranslations(compiled)._catalog
        ), "locale/es/LC_MESSAGES/django.mo is stale: run `manage.py compilemessages`"


def test_makemessages_finds_no_word_the_catalog_lacks(tmp_path):
    """A new {% translate %} or gettext() with no Spanish in the catalog fails here: run
    `make messages`, translate the new entries, and commit the .po and .mo."""
    needs_gettext()
    # A copy of the folders that hold words, with no locale folder of its own: makemessages
    # writes to the locale folder nearest to the files, which would be the project's.
    source = tmp_path / "source"
    for folder in WORDS:
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    (tmp_path / "extract_settings.py").write_text(
        "from tests.settings import *  # noqa: F403\n"
        f"LOCALE_PATHS = [{str(tmp_path / 'locale')!r}]\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "extract_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
    }
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "es", "--verbosity", "0"],
        cwd=source,
        env=env,
        check=True,
    )
    extracted = messages(tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po")
    committed = messages(PO)
    assert extracted - committed == set(), "words with no Spanish yet"
    assert committed - extracted == set(), "entries no template or code uses any more"


# --- What patients read --------------------------------------------------------------------------


def visible_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" .", ".").replace(" ,", ",")


# Words of the English box that Spanish never uses.
CRISIS_ENGLISH = re.compile(
    r"\b(call|text|thinking|harming|danger|free|help|lifeline|press|emergency|spanish|now)\b", re.I
)


def test_the_short_crisis_box_in_spanish():
    with translation.override("es"):
        html = render_to_string("includes/crisis.html", {"short": True})
    text = visible_text(html)
    assert "¿Piensa en el suicidio o en hacerse daño?" in text
    assert SPANISH_OPTION in text
    assert "¿Está en peligro ahora? Llame al 911." in text
    assert 'aria-label="Ayuda en una crisis"' in html
    for href in ('href="tel:988"', 'href="sms:988"', 'href="tel:911"'):
        assert href in html
    assert CRISIS_ENGLISH.findall(text) == []


def test_the_full_crisis_box_in_spanish_is_all_spanish():
    with translation.override("es"):
        html = render_to_string("includes/crisis.html", {"crisis_id": "footer"})
    text = visible_text(html)
    assert "Si está en una crisis, busque ayuda ahora" in text
    assert "Si piensa en el suicidio o en hacerse daño" in text
    assert f"Ayuda en español: {SPANISH_OPTION}." in text
    assert "Línea de Prevención del Suicidio y Crisis" in text
    assert "llame al 911" in text
    # The whole page is Spanish: no part of it needs marking as Spanish, nor saying twice.
    assert 'lang="es"' not in html
    assert text.count("marque 2") == 1
    assert CRISIS_ENGLISH.findall(text) == []


def test_the_crisis_box_in_english_is_unchanged():
    with translation.override("en"):
        short = render_to_string("includes/crisis.html", {"short": True})
        full = render_to_string("includes/crisis.html", {"crisis_id": "footer"})
    assert (
        "<p><strong>Thinking about suicide or harming yourself?</strong> Free help, day and "
        'night: call <a href="tel:988">988</a> or text <a href="sms:988">988</a>. <strong>In '
        'danger now?</strong> Call <a href="tel:911">911</a>.</p>'
    ) in short
    assert 'aria-label="Crisis help"' in short
    assert (
        "<p>Help in Spanish: call 988 and press 2, or text AYUDA to 988. "
        '<span lang="es">En español: llame al 988 y marque 2, o envíe AYUDA por mensaje de '
        "texto al 988."
        "</span></p>"
    ) in full
    assert "the Suicide &amp; Crisis Lifeline in the US" in full


def _footer(language: str) -> str:
    request = RequestFactory().get("/")
    with translation.override(language):
        return render_to_string("includes/footer.html", request=request)


@pytest.mark.django_db
def test_the_footer_in_spanish():
    html = _footer("es")
    text = visible_text(html)
    assert "Este sitio es solo para informar. No es un consejo médico." in text
    for link in ("Inicio", "Preguntas y respuestas", "Glosario", "Sobre este sitio"):
        assert f">{link}</a>" in html
    assert 'aria-label="Pie de página"' in html
    assert f"Ayuda en español: {SPANISH_OPTION}." in text
    for english in ("education only", "medical advice", "Home", "Glossary", "About this site"):
        assert english not in text


@pytest.mark.django_db
def test_the_footer_in_english_is_unchanged():
    html = _footer("en")
    assert (
        '<p class="disclaimer"><strong>This site is for education only. It is not medical '
        "advice.</strong> It cannot tell you whether ketamine is right for you."
    ) in html
    assert '<li><a href="/">Home</a></li>' in html
    assert ">About this site</a>" in html


REVIEW = Template("{% load review %}{% review_stamp item %}")


def _stamp(language: str, **item) -> str:
    with translation.override(language):
        return REVIEW.render(Context({"item": SimpleNamespace(**item)}))


def test_the_review_line_in_spanish():
    reviewed = _stamp(
        "es",
        review_is_current=True,
        reviewer_name="Dra. Ana Ruiz",
        last_reviewed=datetime.date(2026, 3, 4),
        next_review_due=datetime.date(2027, 3, 4),
    )
    assert reviewed == (
        '<p class="meta review-stamp">Última revisión de la página: <time datetime="2026-03-04">'
        "4 de marzo de 2026</time>, por Dra. Ana Ruiz · Próxima revisión: "
        '<time datetime="2027-03-04">4 de marzo de 2027</time></p>\n'
    )
    not_reviewed = _stamp("es", review_is_current=False, last_updated=datetime.date(2026, 12, 1))
    assert visible_text(not_reviewed) == (
        "Un profesional de la salud todavía no ha revisado esta página. "
        "Última actualización: 1 de diciembre de 2026"
    )


def test_the_review_line_in_english_is_unchanged():
    reviewed = _stamp(
        "en",
        review_is_current=True,
        reviewer_name="Dr. Ann <Lee>",
        last_reviewed=datetime.date(2026, 3, 4),
        next_review_due=datetime.date(2027, 3, 4),
    )
    assert reviewed == (
        '<p class="meta review-stamp">Page last reviewed: <time datetime="2026-03-04">March 4, '
        "2026</time> by Dr. Ann &lt;Lee&gt; · Next review due: "
        '<time datetime="2027-03-04">March 4, 2027</time></p>\n'
    )
    assert _stamp(
        "en",
        review_is_current=True,
        reviewer_name="",
        last_reviewed=datetime.date(2026, 3, 4),
        next_review_due=None,
    ) == (
        '<p class="meta review-stamp">Page last reviewed: <time datetime="2026-03-04">March 4, '
        "2026</time></p>\n"
    )
    assert _stamp("en", review_is_current=False, last_updated=None) == (
        '<p class="meta review-stamp">This page has not yet been reviewed by a clinician.</p>\n'
    )


def test_opening_hours_name_the_days_in_the_page_language():
    template = Template("{% load clinics %}{% for d in days %}{{ d|weekday }} {% endfor %}")
    days = ["Monday", "Wednesday", "Sunday"]
    with translation.override("es"):
        assert template.render(Context({"days": days})) == "Lunes Miércoles Domingo "
    with translation.override("en"):
        assert template.render(Context({"days": days})) == "Monday Wednesday Sunday "


def test_the_renderer_writes_its_own_words_in_the_language_it_renders_in():
    """A body is rendered (and stored) in the language active then: the table box and the
    reference numbers' spoken label."""
    from ketamine_info import markup

    text = "Ketamina.[@a-claim]\n\n| Vía | Tiempo |\n|---|---|\n| IV | 40 minutos |\n"
    with translation.override("es"):
        html = markup.render(text, sources={"a-claim": [1]}).html
    assert 'aria-label="Tabla que se desplaza hacia los lados"' in html
    assert "Deslice hacia los lados para ver toda la tabla." in html
    assert 'aria-label="Fuente [1]"' in html
    with translation.override("en"):
        html = markup.render(text, sources={"a-claim": [1]}).html
    assert markup.TABLE_BOX in html and markup.TABLE_BOX_END in html
    assert 'aria-label="Source [1]"' in html


def test_the_page_language_comes_from_the_active_language():
    for language in ("en", "es"):
        with translation.override(language):
            assert f'<html lang="{language}">' in render_to_string("500.html")
            assert f'<html lang="{language}">' in render_to_string("503.html")


# --- Plain Spanish -------------------------------------------------------------------------------

# INFLESZ's scale for the Szigriszt-Pazos index: 65 to 80 is "bastante fácil" (fairly easy).
MIN_INFLESZ = 65
VOWEL_GROUP = re.compile(r"[aeiouáéíóúü]+")
# Two strong vowels side by side, or a stressed weak one beside a strong one: two syllables.
HIATUS = re.compile(r"(?=[aeoáéó][aeoáéó]|[íú][aeo]|[aeo][íú])")
WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ0-9]+")


def syllables(word: str) -> int:
    word = word.lower()
    return max(1, len(VOWEL_GROUP.findall(word)) + len(HIATUS.findall(word)))


def test_the_spanish_running_text_is_fairly_easy_to_read(record_property):
    """The catalog's sentences (not its labels), by the Szigriszt-Pazos index that INFLESZ
    grades, with syllables counted from Spanish vowel groups."""
    sentences = []
    for entry in read_po(PO)[1:]:
        for text in entry["msgstr"].values():
            text = PLACEHOLDER.sub("X", re.sub(r"<[^>]+>", "", text)).strip()
            if len(text.split()) >= 6:
                sentences += [s for s in re.split(r"(?<=[.?!:])\s+", text) if s.strip()]
    words = [word for sentence in sentences for word in WORD.findall(sentence)]
    per_word = sum(syllables(word) for word in words) / len(words)
    per_sentence = len(words) / len(sentences)
    inflesz = 206.835 - 62.3 * per_word - per_sentence
    # Fernández-Huerta, as Law (2011) corrected it.
    fernandez_huerta = 206.84 - 60 * per_word - 1.02 * per_sentence
    record_property(
        "figure",
        f"Spanish catalog: {len(words)} words in {len(sentences)} sentences; Szigriszt-Pazos "
        f"(INFLESZ) {inflesz:.1f}, Fernández-Huerta {fernandez_huerta:.1f}",
    )
    assert inflesz >= MIN_INFLESZ
