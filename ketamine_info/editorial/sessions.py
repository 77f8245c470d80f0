"""Staff sessions end after a working day without activity (SESSION_COOKIE_AGE).

Django's SESSION_SAVE_EVERY_REQUEST would restart the clock, but it also saves, and so sends a
cookie for, any session a request names: a visitor with a junk ``sessionid`` would get a
``Set-Cookie`` on a public page, and public pages must set none (they are shared-cacheable).
Only staff pages restart the clock here, and only for a logged-in user.
"""

from django.conf import settings


class StaffSessionActivityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = (f"/{settings.ADMIN_URL}", "/preview/")

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(self.prefixes) and request.user.is_authenticated:
            request.session.modified = True  # saved again: the idle clock starts over
        return response
