from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import pgettext_lazy

from ketamine_info.articles.previews import ArticlePreviewView
from ketamine_info.faqs.previews import QuestionPreviewView
from ketamine_info.figures.views import figure_redirect
from ketamine_info.health import healthz
from ketamine_info.pages.views import PageDetailView
from ketamine_info.sitemaps import SITEMAPS
from ketamine_info.views import HomeView, media_file, robots_txt, site_icon

# Pages patients read, in every language: English at these addresses, Spanish under /es/ with
# translated first parts (/es/aprender/…). The language comes from the address only
# (``ketamine_info.languages``), never from a cookie or the browser's settings.
public_patterns = i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path(pgettext_lazy("URL", "learn/"), include("ketamine_info.articles.urls")),
    path(pgettext_lazy("URL", "faq/"), include("ketamine_info.faqs.urls")),
    path(pgettext_lazy("URL", "glossary/"), include("ketamine_info.glossary.urls")),
    path(pgettext_lazy("URL", "compare/"), include("ketamine_info.decisions.urls")),
    path(pgettext_lazy("URL", "sources/"), include("ketamine_info.citations.urls")),
    path(pgettext_lazy("URL", "search/"), include("ketamine_info.search.urls")),
    # Readers' "Did this page help?" form posts here (the one public address that takes a POST).
    path("feedback/", include("ketamine_info.feedback.urls")),
    # Last: stand-alone pages (content/pages/) take any address nothing above uses.
    path("<slug:slug>/", PageDetailView.as_view(), name="page"),
    prefix_default_language=False,
)

urlpatterns = [
    # Staff-only previews of drafts, each its app's view; never indexed (robots.txt, headers).
    # A translation's preview shows it in its own language (the views activate it).
    path("preview/learn/<slug:slug>/", ArticlePreviewView.as_view(), name="article_preview"),
    path("preview/faq/<slug:slug>/", QuestionPreviewView.as_view(), name="question_preview"),
    path("preview/", include("ketamine_info.editorial.urls")),
    path("figures/<slug:key>/", figure_redirect, name="figure"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path(settings.ADMIN_URL, include("ketamine_info.editorial.account_urls")),
    # For the load balancer: database and cache state, never cached (health.py).
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", site_icon, {"name": "favicon.ico"}),
    path("apple-touch-icon.png", site_icon, {"name": "apple-touch-icon.png"}),
    path(settings.ADMIN_URL, admin.site.urls),
    # Uploaded pictures, when no web server in front serves MEDIA_ROOT (docs/deploy.md).
    re_path(r"^media/(?P<path>.+)$", media_file, name="media"),
    *public_patterns,
]

# A database outage gets a friendly 503 instead of the 500 page.
handler500 = "ketamine_info.views.server_error"
