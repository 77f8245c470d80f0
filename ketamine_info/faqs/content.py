"""content/faqs/<slug>.md: the question in front matter, the answer as the Markdown body."""

from django.apps import apps

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

    def place(self, obj) -> tuple[str, str]:
        return f"Questions (FAQ): “{obj}”", obj.get_absolute_url()

    def pages_showing(self, obj) -> list[tuple[str, str]]:
        # An article lists the questions of its topic; by label, articles build on this app.
        Article = apps.get_model("articles", "Article")
        articles = Article.objects.published().filter(topic=obj.topic)
        return [self.place(obj), *((str(a), a.get_absolute_url()) for a in articles)]


KINDS = [QuestionKind]
