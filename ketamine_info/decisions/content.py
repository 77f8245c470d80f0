"""content/decisions/<slug>.md: a decision aid. Front matter: title, summary and the options in
column order; the body: intro, one ## per question with one ### per option, then notes."""

from ketamine_info.contentsync.kinds import PUBLISHING_FIELDS, FieldSpec, PublishableKind

from .models import Comparison


class ComparisonKind(PublishableKind):
    name = "decisions"
    suffix = ".md"
    model = Comparison
    load_order = 80
    own_page = True
    search_kind = "comparison"
    search_title = "title"
    key_field = "slug"
    has_body = True
    fields = (
        FieldSpec("title"),
        FieldSpec("summary"),
        FieldSpec("options", "str_list"),
        *PUBLISHING_FIELDS,
    )


KINDS = [ComparisonKind]
