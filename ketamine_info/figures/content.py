"""content/figures/<key>.md: a drawing's caption in front matter, its numbered list below."""

from ketamine_info.contentsync.kinds import ContentKind, FieldSpec

from .models import Figure


class FigureKind(ContentKind):
    name = "figures"
    suffix = ".md"
    model = Figure
    has_body = True
    fields = (FieldSpec("title"),)
