"""content/articles/<slug>.md: front matter plus a Markdown body."""

from ketamine_info.contentsync.kinds import ContentKind, FieldSpec

from .models import Article


class ArticleKind(ContentKind):
    name = "articles"
    suffix = ".md"
    model = Article
    key_field = "slug"
    has_body = True
    fields = (
        FieldSpec("title"),
        FieldSpec("summary"),
        FieldSpec("position", "int"),
        FieldSpec("published", "bool"),
        FieldSpec("topic"),
    )
