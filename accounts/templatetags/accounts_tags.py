"""Template tags of the accounts app.

- {% avatar_sources image size as avatar %}: an avatar's thumbnails at 1x and 2x its slot.
"""

import logging

from django import template
from django.conf import settings
from sorl.thumbnail import get_thumbnail

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def avatar_sources(image, size) -> dict | None:
    """The square thumbnails for an avatar shown at `size` CSS pixels: `src` (1x) and a
    `srcset` with 2x when the upload is big enough for it. Never enlarged, never over the
    thumbnail cap; None when there is no usable image (the include shows an initial)."""
    if not image:
        return None
    side = max(1, min(int(size), settings.THUMBNAIL_MAX_SIZE // 2))
    try:
        small, large = (
            get_thumbnail(
                image, f"{side * density}x{side * density}", crop="center", raise_errors=True
            )
            for density in (1, 2)
        )
    except Exception:
        # A file missing from storage or damaged after upload must not take the page down.
        logger.exception("Could not make thumbnails of %s", image.name)
        return None
    if not small.width:  # sorl answers a missing source with an empty thumbnail
        return None
    srcset = f"{small.url} 1x"
    if large.width > small.width:
        srcset += f", {large.url} 2x"
    return {"src": small, "srcset": srcset}
