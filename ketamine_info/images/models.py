"""Images: photographs and pictures staff upload, placed in a page by a ``[[image <key>]]``
paragraph.

An image is content like any other: it is public only once a clinical reviewer publishes it,
and a change to a published one (its alt text, caption or credit) waits for review. Its words
are part of what is reviewed: the alt text says to someone who cannot see the picture what it
shows, or the picture is marked decorative (it adds nothing the text does not say, and screen
readers skip it). The files are made from the upload (``processing.py``) and kept in the
default storage (``MEDIA_ROOT`` unless ``STORAGES`` says otherwise); the upload itself is not.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from simple_history.models import HistoricalRecords

from ketamine_info.citations.models import key_validator
from ketamine_info.publishing import Publishable, PublishedQuerySet
from ketamine_info.versioning import Versioned

from .processing import Processed

ALT_TEXT_MAX = 250
ALT_TEXT_MISSING = (
    "Describe the picture for people who cannot see it, or tick “Decorative” if it adds "
    "nothing to the text around it."
)
DECORATIVE_WITH_ALT = "A decorative picture has no alt text: clear it, or untick “Decorative”."


class Image(Publishable, Versioned):
    key = models.CharField(
        max_length=60,
        unique=True,
        validators=[key_validator],
        help_text="A short name, lowercase words joined by hyphens, e.g. clinic-waiting-room. "
        "Place the picture in a page with a paragraph that is only [[image clinic-waiting-room]].",
    )
    alt_text = models.CharField(
        "alt text",
        max_length=ALT_TEXT_MAX,
        blank=True,
        help_text="What the picture shows, for people who cannot see it, in one or two plain "
        "sentences (e.g. 'A nurse checks a patient's blood pressure in a treatment chair'). "
        "Not 'picture of…'.",
    )
    decorative = models.BooleanField(
        default=False,
        help_text="Tick only when the picture adds nothing to the text around it: screen "
        "readers then skip it, and it needs no alt text.",
    )
    caption = models.CharField(
        max_length=300, blank=True, help_text="Shown under the picture (optional)."
    )
    credit = models.CharField(
        "credit and licence",
        max_length=300,
        help_text="Who made the picture and on what terms it is used, e.g. '© Example Clinic' "
        "or 'Jane Doe, CC BY 4.0'. Shown under the picture.",
    )
    # Made from the upload; never typed.
    digest = models.CharField(max_length=64, editable=False, default="")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    fallback_type = models.CharField(max_length=20, editable=False, default="image/jpeg")
    # [{"width", "height", "webp", "fallback"}], narrowest first: names in the default storage.
    renditions = models.JSONField(editable=False, default=list)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    # The picture itself (its digest) is part of what the reviewer vouches for.
    REVIEWED_TEXT_FIELDS = ("alt_text", "decorative", "caption", "credit", "digest")

    objects = PublishedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Publishable.Meta):
        ordering = ["key"]
        permissions = [
            ("publish_image", "Can publish and unpublish images"),
            ("review_image", "Can record a clinical review of an image"),
        ]

    def __str__(self) -> str:
        return self.key

    def get_absolute_url(self) -> str:
        """The largest file (the picture as a reviewer checks it)."""
        return self.file_url(self.renditions[-1]["fallback"]) if self.renditions else ""

    @staticmethod
    def file_url(name: str) -> str:
        return default_storage.url(name)

    def clean(self) -> None:
        super().clean()
        if not self.decorative and not self.alt_text.strip():
            raise ValidationError({"alt_text": ALT_TEXT_MISSING})
        if self.decorative and self.alt_text.strip():
            raise ValidationError({"alt_text": DECORATIVE_WITH_ALT})

    def store(self, processed: Processed) -> None:
        """Write the files made from an upload and describe them (the row is not saved)."""
        folder = f"images/{processed.digest[:16]}"
        renditions = []
        extension = "png" if processed.fallback_type == "image/png" else "jpg"
        for item in processed.renditions:
            renditions.append(
                {
                    "width": item.width,
                    "height": item.height,
                    "webp": default_storage.save(
                        f"{folder}/{item.width}.webp", ContentFile(item.webp)
                    ),
                    "fallback": default_storage.save(
                        f"{folder}/{item.width}.{extension}", ContentFile(item.fallback)
                    ),
                }
            )
        self.digest = processed.digest
        self.width, self.height = processed.width, processed.height
        self.fallback_type = processed.fallback_type
        self.renditions = renditions

    def placed_in(self) -> list:
        """The pages that place this picture (whatever their status), as (title, address)."""
        slot = f'<p class="image-slot">{self.key}</p>'
        found = []
        # By label: pages build on pictures, so this app does not import them.
        for label in ("articles.Article", "pages.Page"):
            model = apps.get_model(label)
            for page in model.objects.filter(body_html__contains=slot).only("title", "slug"):
                found.append((str(page), page.get_absolute_url()))
        return found
