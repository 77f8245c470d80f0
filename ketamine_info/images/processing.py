"""An uploaded picture checked, then made into the files patients are sent.

The upload itself is never stored or served: it is decoded (which is how its real type is
known, whatever its name says), turned upright, and written again at a few widths, as WebP and
as JPEG (PNG when it has transparent parts) for browsers without WebP. Writing it again keeps
only the pixels: EXIF (camera, date, GPS location), XMP, comments and anything hidden in the
file (a script, a web page) are left behind.

Every refusal is a ``ValidationError`` with a message staff can act on.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Well below Pillow's own decompression-bomb limit: a 24-megapixel camera photo fits, and
# decoding one costs about 100 MB of memory at most.
MAX_PIXELS = 25_000_000
# The widths made, up to the picture's own; the page's widest column is about 720 CSS pixels,
# so 1440 covers it on a 2x screen.
WIDTHS = (360, 720, 1080, 1440)
# The types accepted, by what decoding finds, with the names a file of that type may have.
ACCEPTED = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}
NOT_A_PICTURE = (
    "This file is not a JPEG, PNG or WebP picture (it could not be read as one). "
    "SVG and other drawings cannot be uploaded: export the picture as PNG."
)


@dataclass
class Rendition:
    width: int
    height: int
    webp: bytes
    fallback: bytes


@dataclass
class Processed:
    digest: str  # of the upload: the same picture uploaded twice is the same picture
    width: int
    height: int
    fallback_type: str  # "image/jpeg" or "image/png"
    renditions: list[Rendition] = field(default_factory=list)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_and_render(data: bytes, name: str) -> Processed:
    """Check an upload (its bytes and file name) and make its renditions."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This file is {_megabytes(len(data))}; at most {_megabytes(MAX_UPLOAD_BYTES)} "
            "can be uploaded. Save the picture smaller (2000 pixels wide is plenty) and try again."
        )
    picture = _decode(data)
    suffix = PurePath(name or "").suffix.lower()
    if suffix not in ACCEPTED[picture.format]:
        raise ValidationError(
            f"This file is named “{PurePath(name).name}” but it is a {picture.format} picture. "
            "A file whose name hides what it is is refused: save it again with the right ending."
        )
    return _render(picture, hashlib.sha256(data).hexdigest())


def _decode(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse those too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # Only these decoders are tried: no exotic format's parser ever sees an upload.
            picture = Image.open(io.BytesIO(data), formats=list(ACCEPTED))  # the header only
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
        except Exception as exc:  # UnidentifiedImageError, or a header Pillow cannot parse
            raise ValidationError(NOT_A_PICTURE) from exc
        width, height = picture.size
        if width * height > MAX_PIXELS:
            raise _too_many_pixels(width, height)
        try:
            picture.load()  # the whole file: a truncated or damaged one fails here
        except Exception as exc:
            raise ValidationError(
                "This picture is damaged or incomplete: it could not be read to the end. "
                "Open it on your computer, save it again, and upload the new file."
            ) from exc
    return picture


def _too_many_pixels(width: int = 0, height: int = 0) -> ValidationError:
    size = f" ({width:,} x {height:,} pixels)" if width else ""
    return ValidationError(
        f"This picture is too large{size}: at most {MAX_PIXELS // 1_000_000} million pixels. "
        "Save it smaller (2000 pixels wide is plenty) and try again."
    )


def _render(picture: Image.Image, digest: str) -> Processed:
    upright = ImageOps.exif_transpose(picture)  # phones store the turn in EXIF
    transparent = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    upright = upright.convert("RGBA" if transparent else "RGB")
    width, height = upright.size
    widest = min(width, WIDTHS[-1])
    widths = [w for w in WIDTHS if w < widest] + [widest]
    processed = Processed(
        digest=digest,
        width=widths[-1],
        height=round(height * widths[-1] / width),
        fallback_type="image/png" if transparent else "image/jpeg",
    )
    for target in widths:
        size = (target, max(1, round(height * target / width)))
        resized = (
            upright.resize(size, Image.Resampling.LANCZOS) if size != upright.size else upright
        )
        resized = Image.frombytes(resized.mode, resized.size, resized.tobytes())  # pixels only
        processed.renditions.append(
            Rendition(
                width=size[0],
                height=size[1],
                webp=_encode(resized, "WEBP", quality=80, method=4),
                fallback=_encode(resized, "PNG", optimize=True)
                if transparent
                else _encode(resized, "JPEG", quality=82, optimize=True, progressive=True),
            )
        )
    return processed


def _encode(picture: Image.Image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    picture.save(out, kind, **options)
    return out.getvalue()
