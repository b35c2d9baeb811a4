"""Thumbnails no bigger than a page can use, whatever a template or a caller asks for.

sorl-thumbnail makes whatever geometry it is given. This backend (THUMBNAIL_BACKEND) clamps
every request to THUMBNAIL_MAX_SIZE pixels a side, keeping its proportions, so no template,
admin preview or include can make the server resize an upload to a huge size. With
THUMBNAIL_UPSCALE off, a small image is never enlarged either.
"""

from django.conf import settings
from sorl.thumbnail.base import ThumbnailBackend
from sorl.thumbnail.parsers import geometry_pat


def capped_geometry(geometry: str, cap: int) -> str:
    """`geometry` ("W", "xH" or "WxH") scaled down to fit in cap x cap, proportions kept.

    A missing side becomes the cap: "2000" cannot make a thumbnail taller than the cap either.
    """
    match = geometry_pat.match(geometry)
    if not match or not (match["x"] or match["y"]):
        return geometry  # sorl reports its own syntax error
    sides = [int(side) if side else None for side in (match["x"], match["y"])]
    scale = min(1, *(cap / side for side in sides if side))
    width, height = (max(1, round(side * scale)) if side else cap for side in sides)
    return f"{width}x{height}"


class CappedThumbnailBackend(ThumbnailBackend):
    def get_thumbnail(self, file_, geometry_string, **options):
        capped = capped_geometry(str(geometry_string), settings.THUMBNAIL_MAX_SIZE)
        return super().get_thumbnail(file_, capped, **options)
