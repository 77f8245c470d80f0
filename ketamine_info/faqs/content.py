"""content/faqs/<slug>.md: the question in front matter, the answer as the Markdown body."""

from ketamine_info.contentsync.kinds import ContentKind, FieldSpec

from .models import Question


class QuestionKind(ContentKind):
    name = "faqs"
    suffix = ".md"
    model = Question
    key_field = "slug"
    has_body = True
    fields = (
        FieldSpec("question"),
        FieldSpec("topic"),
        FieldSpec("position", "int"),
        FieldSpec("published", "bool"),
    )
