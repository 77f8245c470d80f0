"""What every public page tells browsers and search engines about itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ketamine_info import structured_data


@dataclass
class PageMeta:
    title: str
    description: str
    # (name, path) pairs after "Home"; the last one is the page itself.
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)
    og_type: str = "website"
    noindex: bool = False

    @property
    def full_title(self) -> str:
        if self.title == settings.SITE_NAME:
            return self.title
        # Translators: a page's title in the browser tab and in search results.
        return _("{title} | {site_name}").format(title=self.title, site_name=settings.SITE_NAME)

    @cached_property
    def short_description(self) -> str:
        """The description as search engines and link previews show it: at most 160 characters
        (``|truncatechars:160``, worked out once for the three tags that carry it)."""
        return Truncator(self.description).chars(160)

    @property
    def trail(self) -> list[tuple[str, str]]:
        return [(_("Home"), "/"), *self.breadcrumbs] if self.breadcrumbs else []

    @property
    def breadcrumb_json_ld(self) -> dict | None:
        return structured_data.breadcrumb_list(self.trail) if self.trail else None


class PageMetaMixin:
    """For views: ``get_meta()`` returns the page's PageMeta, put in the context as ``meta``."""

    def get_meta(self) -> PageMeta:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meta"] = self.get_meta()
        return context
