from django.apps import apps
from django.conf import settings
from django.http import HttpResponseForbidden
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView

from ketamine_info import structured_data
from ketamine_info.citations.references import references_for
from ketamine_info.editorial.previews import object_or_proposed
from ketamine_info.meta import PageMeta, PageMetaMixin
from ketamine_info.origin import from_this_site
from ketamine_info.translations import counterpart

from . import worksheet
from .models import Comparison
from .selection import Selection

WORKSHEET_SLUG = "what-matters-to-you"


def disclosure() -> dict:
    """Who publishes the site, who pays for it and how to reach them (IPDAS asks every decision
    aid to say so). From settings, never from shipped content: an empty setting is shown as not
    yet filled in, never guessed."""
    return {
        "name": settings.SITE_PUBLISHER,
        "url": settings.SITE_PUBLISHER_URL,
        "funding": settings.SITE_FUNDING,
        "email": settings.SITE_CONTACT_EMAIL,
    }


class ComparisonView(PageMetaMixin, DetailView):
    queryset = Comparison.objects.published()
    context_object_name = "comparison"
    template_name = "decisions/comparison.html"

    def get_queryset(self):
        return super().get_queryset().in_language()

    def get_object(self, queryset=None):
        return object_or_proposed(self, queryset)

    def get_meta(self):
        return PageMeta(
            title=self.object.title,
            description=self.object.summary,
            breadcrumbs=[(self.object.title, self.object.get_absolute_url())],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        grid = self.object.grid()
        options = self.object.option_list
        selection = Selection.from_query(self.request.GET, options, [r.anchor for r in grid.rows])
        for row in grid.rows:
            row.pairs = [
                (options[i], row.cells[i]) for i in selection.columns if i < len(row.cells)
            ]
        context["grid"] = grid
        context["rows"] = [row for row in grid.rows if row.anchor in selection.row_anchors]
        shown = [grid.intro, *(s for _, _, s in grid.notes)]
        shown += [cell for row in context["rows"] for _, cell in row.pairs]
        context["references"] = references_for(self.object).cited_in("".join(shown))
        context["options"] = options
        context["selection"] = selection
        context["shown_options"] = [options[i] for i in selection.columns]
        context["questions"] = [(row, selection.link_to_question(row.anchor)) for row in grid.rows]
        names = {row.anchor: row.question for row in grid.rows}
        before, after = selection.neighbours
        context["previous_question"] = (
            (names[before], selection.link_to_question(before)) if before else None
        )
        context["next_question"] = (
            (names[after], selection.link_to_question(after)) if after else None
        )
        context["disclosure"] = disclosure()
        # By label: stand-alone pages are a leaf app that nothing imports.
        Page = apps.get_model("pages", "Page")
        context["worksheet"] = (
            Page.objects.filter(counterpart(WORKSHEET_SLUG, self.object.language))
            .only("slug", "language")
            .first()
        )
        context["page_json_ld"] = structured_data.medical_web_page(self.object)
        return context


def private(response):
    # What the person entered is in this page: no shared cache may keep it, and no browser
    # should store it on disk.
    patch_cache_control(response, private=True, no_store=True)
    return response


@method_decorator(csrf_exempt, name="dispatch")
class WeighView(PageMetaMixin, DetailView):
    """GET: the exercise, a plain form. POST: the same answers as a one-page summary. No CSRF
    cookie (public pages set none): the POST is checked by its Origin header instead."""

    queryset = Comparison.objects.published()
    context_object_name = "comparison"
    template_name = "decisions/weigh.html"

    def get_queryset(self):
        return super().get_queryset().in_language()

    http_method_names = ["get", "head", "options", "post"]

    def get_meta(self):
        title = f"Weigh it up: {self.object.title.lower()}"
        return PageMeta(
            title=title,
            description="How much each trade-off matters to you, where you are leaning, four "
            "quick questions, and a one-page summary to take to your doctor.",
            breadcrumbs=[
                (self.object.title, self.object.get_absolute_url()),
                ("Weigh it up", reverse("decisions:weigh", args=[self.object.slug])),
            ],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        options = self.object.option_list
        context.update(
            options=list(enumerate(options, 1)),
            values=worksheet.VALUES,
            importance=worksheet.IMPORTANCE,
            sure=worksheet.SURE,
            yes_no=worksheet.YES_NO,
            knowledge=worksheet.KNOWLEDGE,
            not_sure=worksheet.NOT_SURE,
            free_text_max=worksheet.FREE_TEXT_MAX,
        )
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not from_this_site(request):
            return private(
                HttpResponseForbidden(
                    "This form can only be sent from this site's own page. Go back to the page, "
                    "fill it in and press the button again.\n",
                    content_type="text/plain; charset=utf-8",
                )
            )
        answers = worksheet.read(request.POST, self.object.option_list)
        context = self.get_context_data(answers=answers)
        if answers.errors:
            response = self.render_to_response(context, status=400)
        else:
            response = TemplateResponse(request, "decisions/summary.html", context)
        return private(response)
