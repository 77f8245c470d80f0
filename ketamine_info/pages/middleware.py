"""Response middleware: Permissions-Policy on every response, gzip for public pages only.

Gzip:

Compressing a response that holds a secret (a CSRF token, anything from the session) and also
echoes what the visitor sent (a search query, a form) opens it to BREACH-style attacks, which
guess the secret from the compressed size. Django marks every response that depends on such a
cookie with ``Vary: Cookie`` (the CSRF and session middleware add it), so those stay
uncompressed: in practice the admin. Public pages hold no secret and set no cookie; they are
compressed, with Django's random padding on top. Static files are compressed ahead of time
(whitenoise) and never reach this middleware.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import has_vary_header


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
