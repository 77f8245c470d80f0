"""content/pages/<slug>.md: a stand-alone page, title and summary in front matter."""

from ketamine_info.contentsync.kinds import PUBLISHING_FIELDS, FieldSpec, PublishableKind

from .models import Page


class PageKind(PublishableKind):
    name = "pages"
    suffix = ".md"
    model = Page
    load_order = 70
    own_page = True
    search_kind = "page"
    search_title = "title"
    key_field = "slug"
    has_body = True
    fields = (FieldSpec("title"), FieldSpec("summary"), *PUBLISHING_FIELDS)


KINDS = [PageKind]
