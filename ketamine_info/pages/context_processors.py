from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .guard import guard


def _published_articles():
    from ketamine_info.articles.models import Article

    return list(Article.objects.published().only("slug", "title", "position"))


# The printable list of questions that articles, the home page and the footer point to.
DOCTOR_QUESTIONS_SLUG = "questions-to-ask"


DOCTOR_QUESTIONS_CACHE_KEY = "doctor-questions-page"


def _doctor_questions():
    """The page, or None. Remembered in the cache until a Page is saved or deleted
    (``forget_doctor_questions``), so the link costs pages no query of their own. With the
    cache down it is looked up each time (guard.py)."""
    from django.core.cache import cache

    from ketamine_info.pages.models import Page

    found = guard(lambda: cache.get(DOCTOR_QUESTIONS_CACHE_KEY))
    if found is None:
        page = Page.objects.published().filter(slug=DOCTOR_QUESTIONS_SLUG).only("slug").first()
        found = page.slug if page else ""
        guard(lambda: cache.set(DOCTOR_QUESTIONS_CACHE_KEY, found, timeout=None))
    return Page(slug=found) if found else None


def forget_doctor_questions(**kwargs) -> None:
    from django.core.cache import cache

    guard(lambda: cache.delete(DOCTOR_QUESTIONS_CACHE_KEY))


# Page types short enough that a crisis box in the footer would share a screen with the one at
# the top (tests/browser/test_page_layout.py measures it). The 404 page says so in its template.
SHORT_PAGE_NAMESPACES = frozenset({"search"})


def crisis_in_footer(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is None or match.namespace not in SHORT_PAGE_NAMESPACES


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
    }
