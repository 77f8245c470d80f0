from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject

from ketamine_info.caching.guard import guard
from ketamine_info.caching.page_cache import generation


def _published_articles():
    from ketamine_info.articles.models import Article

    return list(Article.objects.published().only("slug", "title", "position"))


# The printable list of questions that articles, the home page and the footer point to.
DOCTOR_QUESTIONS_SLUG = "questions-to-ask"


DOCTOR_QUESTIONS_CACHE_KEY = "doctor-questions-page"


def _doctor_questions():
    """The page, or None. Remembered in the cache under the content generation, so that any
    content change forgets it and the link costs pages no query of their own. With the cache
    down it is looked up each time (caching/guard.py)."""
    from django.core.cache import cache

    from ketamine_info.pages.models import Page

    version = generation()
    found = (
        None
        if version is None
        else guard(lambda: cache.get(DOCTOR_QUESTIONS_CACHE_KEY, version=version))
    )
    if found is None:
        page = Page.objects.published().filter(slug=DOCTOR_QUESTIONS_SLUG).only("slug").first()
        found = page.slug if page else ""
        if version is not None:
            guard(
                lambda: cache.set(DOCTOR_QUESTIONS_CACHE_KEY, found, timeout=None, version=version)
            )
    return Page(slug=found) if found else None


# Page types short enough that a crisis box in the footer would share a screen with the one at
# the top (tests/browser/test_page_layout.py measures it). The 404 page says so in its template.
SHORT_PAGE_NAMESPACES = frozenset({"search"})


def crisis_in_footer(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is None or match.namespace not in SHORT_PAGE_NAMESPACES


# The addresses the header and footer link to on every page. reverse() gives the same answer for
# the same URLconf and script prefix, and ``{% url %}`` cost about 0.5 ms of CPU a page (issue 17):
# each process works them out once, keyed by what they depend on.
SITE_URLS = {
    "home": ("home", ()),
    "comparison": ("decisions:comparison", ("depression-not-responding",)),
    "faqs": ("faqs:list", ()),
    "glossary": ("glossary:list", ()),
    "sources": ("citations:list", ()),
    "about": ("page", ("about",)),
    "search": ("search:results", ()),
}
_site_urls: dict[tuple, dict[str, str]] = {}


def site_urls() -> dict[str, str]:
    key = (get_urlconf(), get_script_prefix())
    urls = _site_urls.get(key)
    if urls is None:
        urls = _site_urls[key] = {
            name: reverse(view, args=args) for name, (view, args) in SITE_URLS.items()
        }
    return urls


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
    }
