"""content/articles/<slug>.md: front matter plus a Markdown body."""

from pathlib import Path

from django.urls import reverse

from ketamine_info.contentsync.fileformat import ContentError
from ketamine_info.contentsync.kinds import PUBLISHING_FIELDS, FieldSpec, PublishableKind

from .models import Article, SlugRedirect


class ArticleKind(PublishableKind):
    name = "articles"
    suffix = ".md"
    model = Article
    load_order = 50
    own_page = True
    listed_on = ("home",)
    search_kind = "article"
    search_title = "title"
    key_field = "slug"
    has_body = True
    fields = (
        FieldSpec("title"),
        FieldSpec("summary"),
        FieldSpec("position", "int"),
        FieldSpec("status"),
        FieldSpec("topic"),
        *PUBLISHING_FIELDS,
        # Addresses the article had before it was renamed: each answers with a 301 to it.
        FieldSpec("old_slugs", "str_list", required=False, stored=False),
    )

    def pages_showing(self, obj) -> list[tuple[str, str]]:
        return [self.place(obj), ("Home page (list of articles)", reverse("home"))]

    def queryset(self):
        return super().queryset().prefetch_related("old_slugs")

    def from_db(self, obj) -> dict:
        data = super().from_db(obj)
        old = sorted(redirect.old_slug for redirect in obj.old_slugs.all())
        if old:
            data["old_slugs"] = old
        return data

    def check_fields(self, raw: dict, path: Path) -> dict:
        data = super().check_fields(raw, path)
        for old in data.get("old_slugs", []):
            if not self.valid_key(old):
                raise ContentError(path, f"'old_slugs': {old!r} is not a valid address")
            if old == path.stem:
                raise ContentError(path, f"'old_slugs': {old!r} is this article's own address")
        return data

    def save(self, key: str, data: dict, obj, path: Path, *, reason: str = ""):
        obj = super().save(key, data, obj, path, reason=reason)
        wanted = set(data.get("old_slugs", []))
        taken = Article.objects.filter(slug__in=wanted).exclude(pk=obj.pk)
        if taken:
            raise ContentError(
                path,
                f"'old_slugs': {', '.join(a.slug for a in taken)} is another article's address",
            )
        SlugRedirect.objects.filter(article=obj).exclude(old_slug__in=wanted).delete()
        for old in sorted(wanted):
            SlugRedirect.objects.update_or_create(old_slug=old, defaults={"article": obj})
        return obj


KINDS = [ArticleKind]
