"""Site-level views: the home page, robots.txt, the icons browsers ask for, the 500/503 page.
They may use any app's models; no app imports them."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views import defaults
from django.views.generic import TemplateView
from django.views.static import serve

from ketamine_info import structured_data
from ketamine_info.articles.models import Article
from ketamine_info.meta import PageMeta, PageMetaMixin


class HomeView(PageMetaMixin, TemplateView):
    template_name = "pages/home.html"

    def get_meta(self):
        return PageMeta(
            title=settings.SITE_NAME,
            description="Plain, sourced information about ketamine treatment for depression: "
            "how it may work, how it is given, risks, and what to expect.",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = list(Article.objects.published().in_language())
        context["page_json_ld"] = structured_data.website()
        return context


def site_icon(request, name: str):
    """/favicon.ico and /apple-touch-icon.png, asked for by browsers and phones that do not read
    the page's <link rel="icon">: a redirect to the static file (its name changes with its
    content, so not a permanent one)."""
    return redirect(static(name))


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Allow: /",
        f"Disallow: /{settings.ADMIN_URL}",
        "Disallow: /preview/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def server_error(request):
    """handler500. When the database cannot be reached, a calm 503 page that needs no database
    (pages already in the cache are still served); any other error, Django's plain 500."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "120"
        response["Cache-Control"] = "no-store"
        return response
    return defaults.server_error(request)


def media_file(request, path):
    """An uploaded picture's file, when Django serves MEDIA_ROOT itself (``SERVE_MEDIA``: in
    development and under ``make run``); in production the web server does, and this is 404."""
    if not settings.SERVE_MEDIA:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # Names never change (a new picture is a new image): keep them.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
