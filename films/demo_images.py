"""The demo content's pictures, drawn with Pillow (no photographs): posters, headshots and the news
illustration share one look, a vertical gradient in the site's colours scattered with glitter.

`films.demo` and `news.demo` both paint through this module (news may import films); each function
returns PNG bytes ready for a `ContentFile`.
"""

import io
import textwrap

from PIL import Image, ImageDraw, ImageFilter, ImageFont

Colour = tuple[int, ...]

PLUM = (123, 45, 142)
DEEP_PLUM = (91, 31, 106)
PINK = (255, 126, 182)
NIGHT = (34, 23, 42)
CREAM = (255, 240, 200)
YELLOW = (255, 216, 77)
DARK_YELLOW = (240, 196, 50)
WHITE = (255, 255, 255)


def poster(title: str, label: str, top: Colour = PLUM, bottom: Colour = PINK) -> bytes:
    """A 2:3 placeholder poster: the title on a gradient, with a yellow band holding `label`."""
    image = _ground((600, 900), top, bottom, sparkles=40, step=(149, 263), radius=(2, 5))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 610, 600, 700], fill=YELLOW)
    y = 150
    for line in textwrap.wrap(title, width=16):
        draw.text((300, y), line, font=_font(58), fill=WHITE, anchor="ma")
        y += 72
    draw.text((300, 655), label, font=_font(44), fill=NIGHT, anchor="mm")
    return _png(image)


def headshot(initials: str, name: str, colour: Colour) -> bytes:
    """A 4:5 portrait card: a spotlit silhouette on a gradient in `colour`, and a name plate
    holding `initials` and `name` (a drawn picture must not pass for a photograph)."""
    width, height = 480, 600
    light = tuple(min(255, c + 90) for c in colour)
    image = _ground((width, height), light, colour, sparkles=14, step=(173, 97), radius=(2, 3))
    glow = Image.new("L", (width, height), 0)
    ImageDraw.Draw(glow).ellipse([70, 30, 410, 370], fill=150)
    image.paste(CREAM, (0, 0), glow.filter(ImageFilter.GaussianBlur(60)))
    shade = tuple(round(c * 0.55) for c in colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse([172, 110, 308, 270], fill=shade)  # head, tilted a little by the neck
    draw.rounded_rectangle([212, 240, 268, 330], radius=20, fill=shade)
    draw.rounded_rectangle([80, 310, 400, 620], radius=140, fill=shade)  # shoulders
    draw.arc([172, 110, 308, 270], 200, 300, fill=CREAM, width=5)  # rim light
    draw.rectangle([0, 470, width, height], fill=NIGHT)
    draw.rectangle([0, 470, width, 478], fill=YELLOW)
    draw.text((36, 535), initials, font=_font(56), fill=YELLOW, anchor="lm")
    draw.text((36 + 24 + 40 * len(initials), 535), name, font=_font(34), fill=WHITE, anchor="lm")
    return _png(image)


def sticky_note(lines: list[str], footnote: str) -> bytes:
    """A 1600×900 illustration: a tilted sticky note with `lines` and a `footnote`."""
    width, height = 1600, 900
    image = _ground((width, height), DEEP_PLUM, PINK, sparkles=90, step=(367, 211), radius=(3, 7))
    note = Image.new("RGBA", (760, 560), (*YELLOW, 255))
    draw = ImageDraw.Draw(note)
    draw.rectangle([0, 0, 759, 70], fill=(*DARK_YELLOW, 255))
    for n, line in enumerate(lines):
        draw.text((60, 130 + 90 * n), line, font=_font(76), fill=(*NIGHT, 255))
    draw.text((60, 440), footnote, font=_font(44), fill=(*PLUM, 255))
    note = note.rotate(-4, expand=True, resample=Image.Resampling.BICUBIC)
    image.paste(note, ((width - note.width) // 2, (height - note.height) // 2), note)
    return _png(image)


def _ground(
    size: tuple[int, int],
    top: Colour,
    bottom: Colour,
    *,
    sparkles: int = 0,
    step: tuple[int, int] = (1, 1),
    radius: tuple[int, int] = (1, 1),
) -> Image.Image:
    """A top-to-bottom gradient with `sparkles` cream dots, spread by `step`, sized by `radius`
    (smallest, how many sizes): a fixed pattern, so a seed draws the same picture every time."""
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / height
        colour = tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    for n in range(sparkles):
        x, y, r = (n * step[0]) % width, (n * step[1]) % height, radius[0] + n % radius[1]
        draw.ellipse([x - r, y - r, x + r, y + r], fill=CREAM)
    return image


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
