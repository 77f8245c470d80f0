"""The Spanish content meets the content standards too: plain Spanish, and the same claims
cited after the same facts as the English it translates."""

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
import textstat
from django.conf import settings

from ketamine_info.contentsync.fileformat import load_markdown
from ketamine_info.markup import CLAIM_KEY_RE, MARKER_RE, marker_keys
from tests.content import test_content_standards as english
from tests.content.test_content_standards import prose, uncited_blocks

# "Bastante fácil" or easier on both Spanish scales.
MIN_FERNANDEZ_HUERTA = 70.0
MIN_INFLESZ = 65.0

SPANISH_DIR = settings.CONTENT_DIR / "es"
SPANISH = sorted(SPANISH_DIR.rglob("*.md"))


def label(path: Path) -> str:
    return str(path.relative_to(SPANISH_DIR).with_suffix(""))


def front_and_body(path: Path) -> tuple[dict, str]:
    return load_markdown(path.read_text(), path)


def folder_of(path: Path) -> Path:
    return path.relative_to(SPANISH_DIR).parent


def english_of(path: Path) -> Path:
    front, _ = front_and_body(path)
    return settings.CONTENT_DIR / folder_of(path) / f"{front.get('translation_of')}{path.suffix}"


@contextmanager
def textstat_language(lang: str):
    """textstat keeps one language for the whole process, on its module-level instance (with
    no getter): measure in ``lang`` inside, then put back what was there, so an English test
    that runs next in the same worker still counts English syllables."""
    previous = getattr(textstat.textstat, "_textstatistics__lang", "en_US")
    textstat.set_lang(lang)
    try:
        yield
    finally:
        textstat.set_lang(previous)


@pytest.fixture
def spanish_textstat():
    with textstat_language("es"):
        yield


@pytest.mark.parametrize("path", SPANISH, ids=label)
def test_reading_ease_is_fairly_easy_or_easier(path, spanish_textstat):
    _, body = front_and_body(path)
    text = prose(body)
    ease = textstat.fernandez_huerta(text)
    inflesz = textstat.szigriszt_pazos(text)
    assert ease >= MIN_FERNANDEZ_HUERTA and inflesz >= MIN_INFLESZ, (
        f"{label(path)}: Fernández-Huerta {ease}, INFLESZ {inflesz}"
    )


@pytest.mark.parametrize("path", SPANISH, ids=label)
def test_every_claim_marker_names_a_claim_in_the_registry(path):
    _, body = front_and_body(path)
    malformed = [
        marker
        for marker in re.findall(MARKER_RE, body)
        for key in marker.split(";")
        if not (key.strip().startswith("@") and CLAIM_KEY_RE.match(key.strip()[1:]))
    ]
    assert not malformed, f"{label(path)}: markers that are not claim keys: {malformed}"
    unknown = sorted(
        key
        for key in marker_keys(body)
        if not (settings.CONTENT_DIR / "claims" / f"{key}.yaml").exists()
    )
    assert not unknown, f"{label(path)}: no such claim in content/claims/: {unknown}"


@pytest.mark.parametrize("path", SPANISH, ids=label)
def test_it_translates_an_english_file_of_the_same_folder_citing_the_same_claims(path):
    front, body = front_and_body(path)
    assert front.get("translation_of"), f"{label(path)}: no translation_of"
    source = english_of(path)
    assert source.is_file(), f"{label(path)}: translation_of names no file {source.name}"
    # A shared key would make the two languages' addresses and anchors collide.
    assert not (settings.CONTENT_DIR / folder_of(path) / path.name).exists(), (
        f"{label(path)}: the Spanish key is also an English key of {folder_of(path)}/"
    )
    _, english_body = front_and_body(source)
    spanish_keys, english_keys = marker_keys(body), marker_keys(english_body)
    assert spanish_keys == english_keys, (
        f"{label(path)}: missing {sorted(english_keys - spanish_keys)}, "
        f"not in the English {sorted(spanish_keys - english_keys)}"
    )


# The English test's ADVICE words in Spanish (ask, talk, tell, call, bring, plan, write down,
# check with, do not, try to, your own doctor): sentences that give advice or point to help
# state no fact that needs a source.
ADVICE_ES = re.compile(
    r"\b(pregunte|preguntar|pregúntele|pida|pídala|pídalo|pídale|"
    r"hable|hablar|háblelo|dígale|díganos|no le (dice|puede decir)|avise|avísele|avísenos|"
    r"llame|llamar|lleve|llévela|llévelo|traiga|planee|planéelo|planear|planeando|"
    r"anote|escriba|consulte|no (deje|cambie|tome|maneje|conduzca|use)|trate de|intente|"
    r"su (propio )?médico)\b",
    re.IGNORECASE,
)


@pytest.fixture
def spanish_advice(monkeypatch):
    """The English heuristic as it is, with the Spanish advice words."""
    monkeypatch.setattr(english, "ADVICE", ADVICE_ES)


def is_about_the_site(path: Path) -> bool:
    """The about page states no medical fact, as in the English test."""
    front, _ = front_and_body(path)
    return (folder_of(path), front.get("translation_of")) == (Path("pages"), "about")


# The folders the English test holds to the heuristic (not the decision aid's cells).
CITED_FOLDERS = {"articles", "faqs", "glossary", "pages", "figures"}


@pytest.mark.parametrize(
    "path",
    [p for p in SPANISH if str(folder_of(p)) in CITED_FOLDERS and not is_about_the_site(p)],
    ids=label,
)
def test_every_paragraph_carries_a_claim_marker(path, spanish_advice):
    _, body = front_and_body(path)
    uncited = uncited_blocks(body)
    assert not uncited, f"{label(path)}: paragraphs without a claim marker: {uncited}"


def test_the_heuristic_catches_an_uncited_spanish_fact(spanish_advice):
    fact = "La ketamina se fabricó por primera vez en 1962 en una empresa de medicamentos."
    advice = "Pregunte a su médico qué puede hacer si los otros tratamientos no le ayudaron."
    question = "¿Qué otros tratamientos podría probar primero, o en su lugar, si este no sirve?"
    assert uncited_blocks(f"{fact}\n\n{advice}\n\n{question}") == [fact]


def test_the_thresholds_tell_plain_spanish_from_hard(spanish_textstat):
    plain = (
        "La ketamina es un medicamento. Se usa para la depresión. "
        "Hable con su médico. Él le puede decir si es para usted."
    )
    hard = (
        "La administración intravenosa de dosis subanestésicas de ketamina, un antagonista "
        "no competitivo del receptor de N-metil-D-aspartato, produce efectos antidepresivos "
        "rápidos en pacientes con trastorno depresivo mayor resistente al tratamiento."
    )
    assert textstat.fernandez_huerta(plain) >= MIN_FERNANDEZ_HUERTA
    assert textstat.szigriszt_pazos(plain) >= MIN_INFLESZ
    assert textstat.fernandez_huerta(hard) < MIN_FERNANDEZ_HUERTA
    assert textstat.szigriszt_pazos(hard) < MIN_INFLESZ


def test_measuring_in_spanish_puts_the_language_back():
    sentence = "Ketamine is a medicine that doctors have used for many years to numb pain."
    before = textstat.flesch_reading_ease(sentence)
    with textstat_language("es"):
        during = textstat.flesch_reading_ease(sentence)
    assert during != before
    assert textstat.flesch_reading_ease(sentence) == before
