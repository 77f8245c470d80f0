"""Staff sessions end after a working day without activity (SESSION_COOKIE_AGE).

Django's SESSION_SAVE_EVERY_REQUEST would restart the clock, but it also saves, and so sends a
cookie for, any session a request names: a visitor with a junk ``sessionid`` would get a
``Set-Cookie`` on a public page, and public pages must set none (they are shared-cacheable).
Only staff pages restart the clock here, and only for a logged-in user.
"""

from django.conf import settings
from django.contrib.sessions import middleware
from django.contrib.sessions.exceptions import SessionInterrupted

from .outage import database_unavailable, refused_by_database


class StaffSessionActivityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = (f"/{settings.ADMIN_URL}", "/preview/")

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(self.prefixes) and request.user.is_authenticated:
            request.session.modified = True  # saved again: the idle clock starts over
        return response


class SessionMiddleware(middleware.SessionMiddleware):
    """Django's, except that a session the database cannot save gives staff the page a refused
    save already gives them (what was typed, kept; 503), not "Bad Request (400)": every staff
    page saves the session (the idle clock above), so a locked or read-only database would
    otherwise answer 400 to every admin page. A session another request deleted (a logout in
    another tab) is still Django's 400."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except SessionInterrupted as error:
            if not refused_by_database(error):
                raise
            return database_unavailable(request).render()
