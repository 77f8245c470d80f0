"""The language of a request: from its address only.

Django's ``LocaleMiddleware`` falls back to a cookie and the browser's Accept-Language, and
marks every unprefixed page ``Vary: Accept-Language``, which would split every cached page by
browser settings. Here an address has exactly one language, so a page is cached once, a link
always opens the language it names, and no cookie is ever needed.
"""

from django.utils import translation


class LanguageFromPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or "en"
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
