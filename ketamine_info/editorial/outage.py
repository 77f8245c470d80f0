"""A database that is down, locked or read-only, as staff meet it: what a refused save raises,
and the page that answers it (typed text kept, 503)."""

from django.db import InterfaceError, InternalError, OperationalError
from django.template.response import TemplateResponse

# What a database that is down, locked or read-only raises (a read-only PostgreSQL: InternalError).
DATABASE_REFUSED = (OperationalError, InterfaceError, InternalError)


def refused_by_database(error: BaseException) -> bool:
    """Whether ``error`` came, however wrapped, from the database refusing to work."""
    while error is not None:
        if isinstance(error, DATABASE_REFUSED):
            return True
        error = error.__cause__ or error.__context__
    return False


def database_unavailable(request):
    """Staff's answer to a database that does not answer (not the patients' 503 page): what
    was posted comes back in a form that re-sends it, so no typed text is lost. It renders
    without the database (no user, no menu)."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
    ]
    response = TemplateResponse(
        request,
        "editorial/database_unavailable.html",
        {"fields": fields if request.method == "POST" else [], "action": request.get_full_path()},
        status=503,
    )
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response
