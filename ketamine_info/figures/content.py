"""content/figures/<key>.md: a drawing's caption in front matter, its numbered list below."""

from ketamine_info.contentsync.kinds import ContentKind, FieldSpec

from .models import Figure


class FigureKind(ContentKind):
    name = "figures"
    suffix = ".md"
    model = Figure
    load_order = 40  # before the pages that place its drawings
    has_body = True
    fields = (FieldSpec("title"),)

    def place(self, obj) -> tuple[str, str]:
        return f"Drawing “{obj}”", obj.placement_url()

    def pages_showing(self, obj) -> list[tuple[str, str]]:
        return [(str(article), article.get_absolute_url()) for article in obj.placed_in()]


KINDS = [FigureKind]
