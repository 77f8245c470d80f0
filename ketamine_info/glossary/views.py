import string
from itertools import groupby

from django.urls import reverse
from django.views.generic import ListView

from ketamine_info.editorial.previews import proposed_all
from ketamine_info.meta import PageMeta, PageMetaMixin

from .models import Term


class TermListView(PageMetaMixin, ListView):
    template_name = "glossary/term_list.html"
    context_object_name = "terms"

    def get_meta(self):
        return PageMeta(
            title="Glossary",
            description="Plain-words meanings of the terms used about ketamine and depression, "
            "such as NMDA receptor, dissociation and esketamine.",
            breadcrumbs=[("Glossary", reverse("glossary:list"))],
        )

    def get_queryset(self):
        # In a reviewer's preview of a change, the terms as the change would leave them.
        terms = (
            Term.objects.in_language().select_related("translation_of").defer("body", "body_text")
        )
        return proposed_all(self.request, terms, Term)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["letters"] = letter_groups(context["terms"])
        return context


def letter_groups(terms: list[Term]) -> list[dict]:
    """A to Z, each letter with its terms (maybe none), for the jump list and the headings."""
    first = lambda term: term.term[:1].upper()  # noqa: E731
    by_letter = {
        letter: list(group) for letter, group in groupby(sorted(terms, key=first), key=first)
    }
    letters = list(string.ascii_uppercase)
    letters += sorted(set(by_letter) - set(letters))  # a term starting with a digit or accent
    return [{"letter": letter, "terms": by_letter.get(letter, [])} for letter in letters]
