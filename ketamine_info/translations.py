"""The site's languages, and what makes a page a translation of another.

English is the site's first language, at unprefixed addresses; each other language lives under
its own prefix (/es/…). A translation is an item of its own, of the same model as the English it
translates (as Wagtail's locales keep one page per language): it has its own pending changes,
publishing and review stamp, and the claims, sources and reference lists are shared, because
its text cites the same claim keys.

A translation records a fingerprint of the English text it was made from (``source_digest``).
When the English text changes in substance after that, the translation is out of date: its page
says so and links to the English, and the review dashboard lists it. Bringing it up to date is
a change like any other, reviewed before patients see it.
"""

from __future__ import annotations

import contextlib
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

ENGLISH = "en"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Español"


def current_language() -> str:
    """The active language as one of the site's codes (English outside a request)."""
    code = (translation.get_language() or ENGLISH).split("-")[0]
    return code if code in Language.values else ENGLISH


def text_digest(obj, fields) -> str:
    """A digest of the text patients read, blind to changes of white space only: what a review
    stamp vouches for (``publishing.ReviewStamp``) and what a translation was made from."""
    parts = [" ".join(str(getattr(obj, name) or "").split()) for name in fields]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def site_name() -> str:
    """The site's name in the active language (the catalog's wording of SITE_NAME)."""
    return translation.gettext(settings.SITE_NAME)


def other_languages(code: str) -> list[str]:
    return [lang for lang, _ in settings.LANGUAGES if lang != code]


def counterpart(english_slug: str, language: str | None = None, *, field: str = "slug"):
    """Selects the item, in ``language`` (the active one when None), whose English item has
    the address key ``english_slug`` (in ``field``, the model's ``KEY_FIELD``): how code names
    a page in every language."""
    language = language or current_language()
    if language == ENGLISH:
        return models.Q(language=ENGLISH, **{field: english_slug})
    return models.Q(language=language, **{f"translation_of__{field}": english_slug})


class LanguageQuerySet(models.QuerySet):
    def in_language(self, language: str | None = None):
        """The items written in ``language`` (the active language when None)."""
        return self.filter(language=language or current_language())


class Translatable(models.Model):
    language = models.CharField(
        max_length=5,
        choices=Language.choices,
        default=ENGLISH,
        db_index=True,
        help_text="The language this text is written in.",
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
        limit_choices_to={"language": ENGLISH},
        help_text="For a translation: the English item it translates. Empty for English.",
    )
    source_digest = models.CharField(
        "made from the English text",
        max_length=64,
        blank=True,
        help_text="A fingerprint of the English text this translation was made from. When the "
        "English changes, the translation is listed as out of date until it is brought up to "
        "date.",
    )

    # The field that names an item in code and addresses: each language's item has its own.
    KEY_FIELD = "slug"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        # A new translation with no record of its source was made from the English as it is.
        if self.is_translation and not self.source_digest and self.translation_of_id:
            self.source_digest = self.translation_of.source_text_digest()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.language == ENGLISH and self.translation_of_id:
            errors["translation_of"] = "English text is the original: it translates nothing."
        elif self.language != ENGLISH:
            if not self.translation_of_id:
                errors["translation_of"] = "Choose the English item this text translates."
            elif self.translation_of.language != ENGLISH:
                errors["translation_of"] = "A translation is made from the English item."
            else:
                others = (
                    type(self)
                    ._default_manager.filter(
                        translation_of_id=self.translation_of_id, language=self.language
                    )
                    .exclude(pk=self.pk)
                )
                if others.exists():
                    errors["translation_of"] = (
                        f"“{self.translation_of}” already has a translation in "
                        f"{self.get_language_display()}."
                    )
        if errors:
            raise ValidationError(errors)

    # The fields whose change makes a translation out of date: the text patients read.
    @classmethod
    def translated_fields(cls) -> tuple[str, ...]:
        return getattr(cls, "REVIEWED_TEXT_FIELDS", ("body",))

    def source_text_digest(self) -> str:
        """The fingerprint of this item's text, as a translation of it records it."""
        return text_digest(self, self.translated_fields())

    @property
    def is_translation(self) -> bool:
        return self.language != ENGLISH

    @property
    def english_key(self) -> str:
        """The English item's key (``KEY_FIELD``): what code and templates name an item by,
        whatever its language."""
        english = self.english
        return getattr(english if english is not None else self, self.KEY_FIELD)

    @property
    def english_slug(self) -> str:
        """The English item's address key: what code and templates name a page by."""
        return self.english_key

    @property
    def english(self):
        return self.translation_of if self.is_translation else self

    @property
    def out_of_date(self) -> bool:
        """Whether the English changed in substance after this translation was made."""
        source = self.translation_of if self.is_translation else None
        return bool(source is not None and self.source_digest != source.source_text_digest())

    def english_updated_on(self):
        """The day the English text last changed in substance."""
        source = self.translation_of
        if source is None:
            return None
        updated = getattr(source, "last_updated", None)
        return updated or source.updated.date()

    def in_language(self, code: str):
        """This item's counterpart written in ``code`` (the English, or a translation of it),
        or None. Public counterparts only: what a language switch may link to."""
        if code == self.language:
            return self
        english = self.english
        if english is None:
            return None
        if code == ENGLISH:
            return english if english.is_live() else None
        for item in english.translations.all():
            if item.language == code and item.is_live():
                return item
        return None

    @contextlib.contextmanager
    def own_language(self):
        """Build addresses in this item's language (its prefix, its translated path)."""
        with translation.override(self.language):
            yield
