"""content/glossary/<slug>.md: the term and its aliases in front matter, the definition below."""

from ketamine_info.contentsync.kinds import ContentKind, FieldSpec

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


KINDS = [TermKind]
