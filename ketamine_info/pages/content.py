"""content/pages/<slug>.md: a stand-alone page, title and summary in front matter."""

from ketamine_info.contentsync.kinds import ContentKind, FieldSpec

from .models import Page


class PageKind(ContentKind):
    name = "pages"
    suffix = ".md"
    model = Page
    key_field = "slug"
    has_body = True
    fields = (FieldSpec("title"), FieldSpec("summary"))
