"""Images are reviewed content patients see; they have no files under content/ (uploads)."""

from ketamine_info.contentsync.kinds import ContentKind

from .models import Image


class ImageKind(ContentKind):
    name = None  # uploaded in the admin, not loaded from content/
    model = Image
    load_order = 45

    def place(self, obj) -> tuple[str, str]:
        return f"Picture “{obj}”", obj.get_absolute_url()

    def pages_showing(self, obj) -> list[tuple[str, str]]:
        return obj.placed_in()


KINDS = [ImageKind]
