"""content/glossary/<slug>.md: the term and its aliases in front matter, the definition below."""

from django.apps import apps
from django.db.models import Q

from ketamine_info.contentsync.kinds import ContentKind, FieldSpec, place_of

from .models import Term


class TermKind(ContentKind):
    name = "glossary"
    suffix = ".md"
    model = Term
    load_order = 30  # before the pages whose text links its terms
    listed_on = ("glossary:list",)
    search_kind = "term"
    search_title = "term"
    key_field = "slug"
    has_body = True
    fields = (
        FieldSpec("term"),
        FieldSpec("aliases", "str_list", required=False),
    )

    def place(self, obj) -> tuple[str, str]:
        return f"Glossary: “{obj}”", obj.get_absolute_url()

    def pages_showing(self, obj) -> list[tuple[str, str]]:
        return [self.place(obj), *self._pages_linking(obj)]

    @staticmethod
    def _pages_linking(term) -> list[tuple[str, str]]:
        """Live pages that link the term now, or whose text uses one of its (proposed) names."""
        url = term.get_absolute_url() if term.slug else None
        phrases = [term.term, *term.alias_list]
        found = []
        # Found, not imported: the content that links glossary terms builds on this app.
        for model in apps.get_models():
            if not getattr(model, "links_glossary_terms", False):
                continue
            query = Q()
            if url:
                query |= Q(body_html__contains=f'href="{url}"')
            for phrase in phrases:
                if phrase:
                    query |= Q(body__icontains=phrase)
            if not query:
                continue
            found.extend(
                place_of(page) for page in model._default_manager.published().filter(query)
            )
        return found


KINDS = [TermKind]
