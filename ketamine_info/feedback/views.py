"""The reader's form (on every public page, templates/feedback/form.html) posts here.

No cookie and no JavaScript: the form is plain HTML, checked by ``Origin`` (origin.py) rather than
a CSRF token, so the pages that carry it stay the same for every reader and stay cached. A
report is stored with ``bulk_create``, which sends no save signal: a reader's report changes no
page, so it must not make the page cache start again.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ketamine_info.meta import PageMeta
from ketamine_info.origin import from_this_site

from .forms import ReportForm
from .models import Report
from .senders import sender_of, too_many


def _problem(request, form, status: int, message: str):
    context = {
        "meta": PageMeta(title=_("Your report was not sent"), description=message, noindex=True),
        "problem": message,
        "form": form,
        "page": form.data.get("page", "") if form is not None else "",
    }
    return render(request, "feedback/problem.html", context, status=status)


def _thanks_url(page: str) -> str:
    return reverse("feedback:thanks") + "?" + urlencode({"page": page})


@csrf_exempt
@never_cache
@require_POST
def send(request):
    if not from_this_site(request):
        return _problem(
            request,
            None,
            403,
            _("We could not accept this report because it did not come from a page of this site."),
        )
    form = ReportForm(request.POST)
    if form.is_robot:
        # Answered as a success, so that a robot learns nothing; nothing is stored.
        return HttpResponseRedirect(_thanks_url(form.data.get("page", "/")), status=303)
    if not form.is_valid():
        return _problem(request, form, 400, _("Please check the form below and send it again."))
    sender = sender_of(request)
    if too_many(sender):
        response = _problem(
            request,
            form,
            429,
            _(
                "We have had many reports from your connection in the last hour. "
                "Please try again later."
            ),
        )
        response["Retry-After"] = "3600"
        return response
    data = form.cleaned_data
    Report.objects.bulk_create(
        [
            Report(
                page=data["page"],
                helped=data["helped"] or "",
                message=data["message"],
                sender=sender,
            )
        ]
    )
    return HttpResponseRedirect(_thanks_url(data["page"]), status=303)


@require_GET
def thanks(request):
    page = request.GET.get("page", "")
    if not (page.startswith("/") and url_has_allowed_host_and_scheme(page, None)):
        page = ""
    context = {
        "meta": PageMeta(
            title=_("Thank you"), description=_("Thank you for your feedback."), noindex=True
        ),
        "back": page,
    }
    return render(request, "feedback/thanks.html", context)
