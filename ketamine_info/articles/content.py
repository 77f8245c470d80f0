"""content/articles/<slug>.md: front matter plus a Markdown body."""

from ketamine_info.contentsync.kinds import PUBLISHING_FIELDS, FieldSpec, PublishableKind

from .models import Article


class ArticleKind(PublishableKind):
    name = "articles"
    suffix = ".md"
    model = Article
    key_field = "slug"
    has_body = True
    fields = (
        FieldSpec("title"),
        FieldSpec("summary"),
        FieldSpec("position", "int"),
        FieldSpec("status"),
        FieldSpec("topic"),
        *PUBLISHING_FIELDS,
    )
