"""Safe image uploads, shared by every app (accounts sits at the bottom of the dependency chain).

Django's ImageField only runs ``Image.verify()``, which lets a truncated JPEG through. Here an
upload is fully decoded with an allowlist of formats, checked for size, pixel count and frames,
and re-encoded, which applies the EXIF orientation and drops the metadata (camera, location).
"""

import io
import warnings
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "AVIF")
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "AVIF": "image/avif",
}
# The limit is the IMAGE_UPLOAD_MAX_BYTES setting, read at each upload; this is its value at
# start-up, for tests that need the number.
MAX_UPLOAD_BYTES = settings.IMAGE_UPLOAD_MAX_BYTES
NAME_STEM_LENGTH = 80  # with the extension and an upload_to folder, within a FileField's 100
MAX_PIXELS = 40_000_000  # 8000 x 5000: more than any poster needs, far below a bomb
ACCEPT = ",".join(CONTENT_TYPES.values())

# Pillow's own guard: twice this raises DecompressionBombError, once warns (made an error below).
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageRejected(forms.ValidationError):
    pass


def shortened_name(name: str) -> str:
    """An uploaded file's name cut to NAME_STEM_LENGTH, keeping a plausible extension."""
    path = Path(name)
    suffix = path.suffix if len(path.suffix) <= 6 else ""
    return f"{path.stem[:NAME_STEM_LENGTH] or 'image'}{suffix}"


def open_checked_image(upload) -> Image.Image:
    """Decode an upload completely, or raise ImageRejected with a message for the form.

    The size is checked first, on what the upload handler counted: an over-limit file is
    refused without Pillow reading a byte of it.
    """
    size = getattr(upload, "size", None)
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if size is not None and size > limit:
        raise ImageRejected(
            f"That file is {filesizeformat(size)}; images may be at most {filesizeformat(limit)}.",
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=ALLOWED_FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise ImageRejected(
                    f"That image is {image.width} × {image.height} pixels; the limit is "
                    f"{MAX_PIXELS // 1_000_000} million pixels.",
                    code="too_many_pixels",
                )
            if getattr(image, "n_frames", 1) > 1:
                raise ImageRejected(
                    "Animated images are not accepted; upload a still image.", code="animated"
                )
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(
            f"That image is too large to process (over {MAX_PIXELS // 1_000_000} million pixels).",
            code="too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise ImageRejected(
            "That file is not an image we accept. Upload a JPEG, PNG, WebP or AVIF image.",
            code="invalid_format",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ImageRejected(
            "That image file is damaged or incomplete. Try exporting it again.",
            code="damaged",
        ) from None
    return image


def reencode_image(image: Image.Image, name: str) -> SimpleUploadedFile:
    """The image saved afresh in its own format, upright and with no metadata."""
    image_format = image.format
    upright = ImageOps.exif_transpose(image)
    if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    buffer = io.BytesIO()
    save_options = {"JPEG": {"quality": 90, "optimize": True}, "WEBP": {"quality": 90}}
    upright.save(buffer, format=image_format, **save_options.get(image_format, {}))
    stem = Path(shortened_name(name)).stem
    return SimpleUploadedFile(
        f"{stem}.{EXTENSIONS[image_format]}",
        buffer.getvalue(),
        content_type=CONTENT_TYPES[image_format],
    )


class SafeImageFormField(forms.ImageField):
    """An image form field that validates with Pillow in full and re-encodes the upload."""

    widget = forms.ClearableFileInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)

    def to_python(self, data):
        if hasattr(data, "name") and data.name:
            # Before FileField's length check: a long name is no reason to refuse an image.
            data.name = shortened_name(data.name)
        data = forms.FileField.to_python(self, data)
        if data is None:
            return None
        image = open_checked_image(data)
        return reencode_image(image, data.name)


class SafeImageField(models.ImageField):
    """A model ImageField whose forms (the admin's included) use SafeImageFormField."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})
