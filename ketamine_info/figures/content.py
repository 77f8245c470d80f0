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


KINDS = [FigureKind]
