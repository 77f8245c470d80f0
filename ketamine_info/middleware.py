"""Middleware for public pages: refusing requests no page can answer, Permissions-Policy on
every response, and gzip for public pages only.

Gzip: compressing a response that holds a secret (a CSRF token, anything from the session) and also
echoes what the visitor sent (a search query, a form) opens it to BREACH-style attacks, which
guess the secret from the compressed size. Django marks every response that depends on such a
cookie with ``Vary: Cookie`` (the CSRF and session middleware add it), so those stay
uncompressed: in practice the admin. Public pages hold no secret and set no cookie; they are
compressed, with Django's random padding on top. Static files are compressed ahead of time
(whitenoise) and never reach this middleware.
"""

import re

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import has_vary_header

from ketamine_info.caching.edge import is_public_path

PUBLIC_FORM = re.compile(settings.PUBLIC_FORM_PATH)


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if has_vary_header(response, "Cookie") or response.cookies:
            return response
        return super().process_response(request, response)


class PermissionsPolicyMiddleware:
    """Sends Permissions-Policy (Django has no setting for it): the site needs no camera,
    microphone, location or payment features, so no page, or anything it embeds, gets them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PublicRequestsMiddleware:
    """Refuses, before any work, requests that no public page can answer.

    - A query string longer than ``MAX_QUERY_STRING_LENGTH`` gets 414 URI Too Long (gunicorn
      refuses request lines over 4 KB itself; this holds behind any server).
    - Public pages are read-only: a method other than GET, HEAD or OPTIONS gets 405 Method Not
      Allowed, with the ``Allow`` header, rather than the CSRF check's 403. The admin and the
      staff previews, which have forms, are left alone, and so are the public forms
      (``PUBLIC_FORM_PATH``: a decision aid's "weigh it up", the readers' report), which may be
      POSTed and check what is posted themselves.
    """

    ALLOWED = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.META.get("QUERY_STRING", "")) > settings.MAX_QUERY_STRING_LENGTH:
            return HttpResponse(
                "The address is too long.\n", status=414, content_type="text/plain; charset=utf-8"
            )
        if (
            request.method not in self.ALLOWED
            and is_public_path(request.path)
            and not (request.method == "POST" and PUBLIC_FORM.match(request.path))
        ):
            return HttpResponseNotAllowed(self.ALLOWED)
        return self.get_response(request)
