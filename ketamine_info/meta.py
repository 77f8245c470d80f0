"""What every public page tells browsers and search engines about itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.urls import translate_url
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ketamine_info import structured_data
from ketamine_info.translations import ENGLISH, Translatable, current_language


@dataclass
class PageMeta:
    title: str
    description: str
    # (name, path) pairs after "Home"; the last one is the page itself.
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)
    og_type: str = "website"
    noindex: bool = False
    # The same page in each language, as {language code: path}; None where it has no
    # counterpart yet. Filled by PageMetaMixin from the page's item or its address.
    alternates: dict[str, str | None] | None = None

    @property
    def hreflang(self) -> list[tuple[str, str]]:
        """(hreflang, path) for the <link rel="alternate"> tags: only when the page exists in
        more than one language, with x-default for the English."""
        found = [(code, path) for code, path in (self.alternates or {}).items() if path]
        if len(found) < 2:
            return []
        default = dict(found).get(ENGLISH)
        return found + ([("x-default", default)] if default else [])

    @property
    def language_links(self) -> list[dict]:
        """The switch to each other language: the same page there, or None and that
        language's home page."""
        current = current_language()
        return [
            {
                "code": code,
                "name": name,
                "url": (self.alternates or {}).get(code),
                "home": translate_url("/", code),
            }
            for code, name in settings.LANGUAGES
            if code != current
        ]

    @property
    def full_title(self) -> str:
        if self.title == settings.SITE_NAME:
            return self.title
        return f"{self.title} | {settings.SITE_NAME}"

    @cached_property
    def short_description(self) -> str:
        """The description as search engines and link previews show it: at most 160 characters
        (``|truncatechars:160``, worked out once for the three tags that carry it)."""
        return Truncator(self.description).chars(160)

    @property
    def trail(self) -> list[tuple[str, str]]:
        home = translate_url("/", current_language())
        return [(_("Home"), home), *self.breadcrumbs] if self.breadcrumbs else []

    @property
    def breadcrumb_json_ld(self) -> dict | None:
        return structured_data.breadcrumb_list(self.trail) if self.trail else None


class PageMetaMixin:
    """For views: ``get_meta()`` returns the page's PageMeta, put in the context as ``meta``."""

    def get_meta(self) -> PageMeta:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meta = context["meta"] = self.get_meta()
        if meta.alternates is None:
            meta.alternates = alternates(self.request, getattr(self, "object", None))
        return context


def alternates(request, item=None) -> dict[str, str | None]:
    """The page in each language: an item's own counterparts (a translation has its own
    address, /es/aprender/que-esperar/), or the same view under each language's prefix."""
    found = {}
    for code, _name in settings.LANGUAGES:
        if isinstance(item, Translatable):
            other = item.in_language(code)
            found[code] = other.get_absolute_url().split("#")[0] if other is not None else None
        else:
            found[code] = translate_url(request.path, code)
    return found
