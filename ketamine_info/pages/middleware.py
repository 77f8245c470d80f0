"""Gzip for public pages only.

Compressing a response that holds a secret (a CSRF token, anything from the session) and also
echoes what the visitor sent (a search query, a form) opens it to BREACH-style attacks, which
guess the secret from the compressed size. Django marks every response that depends on such a
cookie with ``Vary: Cookie`` (the CSRF and session middleware add it), so those stay
uncompressed: in practice the admin. Public pages hold no secret and set no cookie; they are
compressed, with Django's random padding on top. Static files are compressed ahead of time
(whitenoise) and never reach this middleware.
"""

from django.middleware.gzip import GZipMiddleware
from django.utils.cache import has_vary_header


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if has_vary_header(response, "Cookie") or response.cookies:
            return response
        return super().process_response(request, response)
