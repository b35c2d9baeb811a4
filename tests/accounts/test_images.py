"""Uploads are decoded in full by Pillow, limited, and re-encoded without metadata."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.images import MAX_UPLOAD_BYTES, ImageRejected, SafeImageFormField
from tests.factories import image_bytes


def clean(content: bytes, name: str = "upload.png"):
    return SafeImageFormField().clean(SimpleUploadedFile(name, content))


def test_valid_png_is_accepted_and_renamed_by_format():
    cleaned = clean(image_bytes("PNG"), name="holiday photo.PNG")
    assert cleaned.name == "holiday photo.png"
    assert Image.open(cleaned).format == "PNG"


def test_jpeg_loses_its_exif_and_is_turned_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to view.
    exif[0x010F] = "Secret Camera Co"
    content = image_bytes("JPEG", size=(60, 40), exif=exif.tobytes())
    cleaned = Image.open(clean(content, name="camera.jpg"))
    assert cleaned.size == (40, 60)
    assert not dict(cleaned.getexif())


def test_truncated_jpeg_is_refused():
    content = image_bytes("JPEG", size=(400, 400))
    with pytest.raises(ImageRejected, match="damaged or incomplete"):
        clean(content[: len(content) // 2], name="broken.jpg")


def test_a_gif_is_refused_as_the_wrong_type():
    with pytest.raises(ImageRejected, match="JPEG, PNG, WebP or AVIF"):
        clean(image_bytes("GIF"), name="funny.gif")


def test_text_pretending_to_be_an_image_is_refused():
    with pytest.raises(ImageRejected, match="not an image we accept"):
        clean(b"<?php echo 'hello'; ?>", name="shell.png")


def test_oversized_file_is_refused_before_decoding():
    with pytest.raises(ImageRejected, match="at most 10"):
        clean(b"\0" * (MAX_UPLOAD_BYTES + 1), name="huge.png")


def test_oversized_file_is_refused_by_its_size_without_pillow_opening_it(settings, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("Pillow opened an over-limit upload")

    monkeypatch.setattr(Image, "open", never)
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ImageRejected) as refused:
        clean(b"\0" * 1024, name="big.png")
    assert refused.value.messages == [
        "That file is 1.0\xa0KB; images may be at most 1000\xa0bytes."
    ]


def test_the_upload_limit_is_the_setting(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ImageRejected, match="images may be at most 100"):
        clean(image_bytes("PNG", size=(300, 300)))


def test_an_image_with_a_255_character_name_is_accepted_with_its_name_shortened():
    field = SafeImageFormField(max_length=100)
    name = "a" * 251 + ".png"
    cleaned = field.clean(SimpleUploadedFile(name, image_bytes("PNG")))
    assert cleaned.name == "a" * 80 + ".png"


def test_a_long_extension_is_dropped_rather_than_cut():
    cleaned = clean(image_bytes("PNG"), name="photo." + "x" * 40)
    assert cleaned.name == "photo.png"


def test_decompression_bomb_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, format="PNG")  # tiny file, 400 megapixels
    with pytest.raises(ImageRejected, match="million pixels"):
        clean(buffer.getvalue(), name="bomb.png")


def test_animated_webp_is_refused():
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="WEBP", save_all=True, append_images=frames[1:])
    with pytest.raises(ImageRejected, match="Animated"):
        clean(buffer.getvalue(), name="moving.webp")


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "AVIF"])
def test_every_allowed_format_is_accepted(image_format):
    cleaned = clean(image_bytes(image_format), name=f"ok.{image_format.lower()}")
    assert Image.open(cleaned).format == image_format
