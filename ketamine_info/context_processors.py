from django.apps import apps
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from ketamine_info.structured_data import locale_of
from ketamine_info.translations import ENGLISH, counterpart, current_language


def _published_articles():
    from ketamine_info.articles.models import Article

    return list(
        Article.objects.published().in_language().only("slug", "title", "position", "language")
    )


# The printable list of questions that articles, the home page and the footer point to.
DOCTOR_QUESTIONS_SLUG = "questions-to-ask"


def _doctor_questions():
    """The page, or None."""
    from ketamine_info.pages.models import Page

    return (
        Page.objects.published()
        .filter(counterpart(DOCTOR_QUESTIONS_SLUG))
        .only("slug", "language")
        .first()
    )


# Page types short enough that a crisis box in the footer would share a screen with the one at
# the top (tests/browser/test_page_layout.py measures it). The 404 page says so in its template.
SHORT_PAGE_NAMESPACES = frozenset({"search"})


def crisis_in_footer(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is None or match.namespace not in SHORT_PAGE_NAMESPACES


# The addresses the header and footer link to on every page.
SITE_URLS = {
    "home": ("home",),
    "comparison": ("decisions:comparison", "depression-not-responding"),
    "faqs": ("faqs:list",),
    "glossary": ("glossary:list",),
    "sources": ("citations:list",),
    "about": ("page", "about"),
    "search": ("search:results",),
}


# Of those, the pages that are items of content: in another language, each is the translation
# of the English page, at its own address (the English one until it has a translation).
TRANSLATED_SITE_URLS = {"comparison": "decisions.Comparison", "about": "pages.Page"}


def site_urls() -> dict[str, str]:
    urls = {name: reverse(view, args=args) for name, (view, *args) in SITE_URLS.items()}
    language = current_language()
    if language != ENGLISH:
        for name, label in TRANSLATED_SITE_URLS.items():
            view, slug = SITE_URLS[name]
            found = apps.get_model(label).objects.filter(counterpart(slug, language))
            translated = found.values_list("slug", flat=True).first()
            if translated:
                urls[name] = reverse(view, args=[translated])
            else:
                with translation.override(ENGLISH):
                    urls[name] = reverse(view, args=[slug])
    return urls


# The static files every page's <head> links to.
SITE_STATIC = {
    "css": "css/site.css",
    "favicon": "favicon.ico",
    "favicon_svg": "favicon.svg",
    "touch_icon": "apple-touch-icon.png",
}


def site_static() -> dict[str, str]:
    return {name: static(path) for name, path in SITE_STATIC.items()}


def site(request):
    """Site-wide template values. The article list is lazy: a page that sets its own
    ``nav_articles`` (or shows no navigation) costs no extra query."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        # The page's one address: SITE_URL's host and scheme, no query string.
        "canonical_url": settings.SITE_URL + request.path,
        "nav_articles": SimpleLazyObject(_published_articles),
        # None (and no links to it) if staff remove the page.
        "doctor_questions": SimpleLazyObject(_doctor_questions),
        "crisis_in_footer": crisis_in_footer(request),
        "site_urls": site_urls(),
        "site_static": site_static(),
        "og_locale": locale_of(current_language()).replace("-", "_"),
    }
