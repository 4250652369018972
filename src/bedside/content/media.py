"""Image uploads: real images only, size and dimension limits, no decompression
bombs, re-encoded with Pillow so EXIF (GPS, camera serials, dates) is gone."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_SIDE = 8000
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/jpeg",
    "GIF": "image/png",
}


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    mime: str
    width: int
    height: int
    sha256: str


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def clean_image(raw: bytes) -> CleanImage:
    """Validate and re-encode an uploaded image; raises ValidationError naming `file`."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise _refuse(f"The image is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    if not raw:
        raise _refuse("The file is empty.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(raw))
            fmt = image.format or ""
            width, height = image.size
            if fmt not in ALLOWED_FORMATS:
                raise _refuse("Upload a JPEG, PNG, WebP or GIF image.")
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise _refuse(
                    f"The image is {width}×{height} pixels; the limit is {MAX_SIDE} pixels a "
                    f"side and {MAX_PIXELS // 1_000_000} megapixels."
                )
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse("The image is too large to open safely.") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _refuse("This file is not an image Bedside can read.") from None
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "P") and fmt in ("PNG", "GIF", "WEBP")
    out = io.BytesIO()
    if has_alpha:
        clean = image.convert("RGBA")
        clean.info = {}
        clean.save(out, format="PNG", optimize=True)
        mime = "image/png"
    else:
        clean = image.convert("RGB")
        clean.info = {}
        clean.save(out, format="JPEG", quality=88, optimize=True)
        mime = "image/jpeg"
    data = out.getvalue()
    return CleanImage(data, mime, clean.width, clean.height, hashlib.sha256(data).hexdigest())
