from django import forms
from django.contrib import admin
from django.utils.html import format_html

from ketamine_info.editorial.admin import PUBLISHING_FIELDSET, WorkflowAdmin, WorkflowForm

from .models import Image
from .processing import ACCEPTED, MAX_UPLOAD_BYTES, check_and_render

ACCEPT = ",".join(sorted({*{e for names in ACCEPTED.values() for e in names}, "image/jpeg",
                          "image/png", "image/webp"}))  # fmt: skip


class ImageForm(WorkflowForm):
    upload = forms.FileField(
        label="Picture",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=f"A JPEG, PNG or WebP file, at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. "
        "Location and camera details are removed. To change the picture, upload a new image.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The picture of a saved image never changes: a new picture is a new image.
            self.fields.pop("upload", None)

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            raise forms.ValidationError("Choose the picture to upload.")
        if upload.size > MAX_UPLOAD_BYTES:  # before reading it into memory
            raise forms.ValidationError(
                f"This file is {upload.size / (1024 * 1024):.1f} MB; at most "
                f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB can be uploaded. Save the picture "
                "smaller (2000 pixels wide is plenty) and try again."
            )
        self.processed = check_and_render(upload.read(), upload.name)
        return upload


@admin.register(Image)
class ImageAdmin(WorkflowAdmin):
    form = ImageForm
    has_markup = False  # no Markdown field
    list_display = ["thumbnail", "key", "alt_text", "status", "updated"]
    list_display_links = ["thumbnail", "key"]
    list_filter = ["status", "decorative"]
    search_fields = ["key", "alt_text", "caption", "credit"]
    fieldsets = [
        (None, {"fields": ["key", "upload", "alt_text", "decorative", "caption", "credit"]}),
        PUBLISHING_FIELDSET,
    ]

    readonly_fields = (*WorkflowAdmin.readonly_fields, "picture")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        swap = "picture" if obj is not None else "upload"
        return [
            (name, {**options, "fields": [swap if f == "upload" else f for f in options["fields"]]})
            for name, options in fieldsets
        ]

    @admin.display(description="Picture")
    def picture(self, obj):
        if not obj.renditions:
            return "—"
        large = obj.renditions[-1]
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}" style="max-width:360px;height:auto">'
            "<br>{} x {} pixels. To change the picture, upload a new image.",
            obj.file_url(large["fallback"]),
            large["width"],
            large["height"],
            obj.width,
            obj.height,
        )

    @admin.display(description="Picture")
    def thumbnail(self, obj):
        if not obj.renditions:
            return "—"
        small = obj.renditions[0]
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}" style="max-width:96px;height:auto">',
            obj.file_url(small["fallback"]),
            small["width"],
            small["height"],
        )

    def save_model(self, request, obj, form, change):
        processed = getattr(form, "processed", None)
        if not change and processed is not None:
            obj.store(processed)
        super().save_model(request, obj, form, change)
