"""content/faqs/<slug>.md: the question in front matter, the answer as the Markdown body."""

from ketamine_info.contentsync.kinds import PUBLISHING_FIELDS, FieldSpec, PublishableKind

from .models import Question


class QuestionKind(PublishableKind):
    name = "faqs"
    suffix = ".md"
    model = Question
    load_order = 60
    listed_on = ("faqs:list",)
    search_kind = "question"
    search_title = "question"
    key_field = "slug"
    has_body = True
    fields = (
        FieldSpec("question"),
        FieldSpec("topic"),
        FieldSpec("position", "int"),
        FieldSpec("status"),
        *PUBLISHING_FIELDS,
    )


KINDS = [QuestionKind]
