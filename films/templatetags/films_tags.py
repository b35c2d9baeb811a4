"""Template tags of the films app.

- {% picture image kind alt %}: a responsive WebP thumbnail with srcset, or a tidy placeholder.
- {% sequel_spotlight %}: the home page's sequel status and who is returning.
"""

import logging

from django import template
from sorl.thumbnail import get_thumbnail

from films.models import Film
from films.returning import who_is_returning

register = template.Library()
logger = logging.getLogger(__name__)

# kind: (width:height ratio, widths offered in srcset, the `sizes` attribute). `sizes` says the
# width of the slot in the CSS, and the widths cover it at 1x and 2x; tests/e2e/test_images.py
# measures both against the rendered slots.
PICTURE_KINDS = {
    # .film__header's first column
    "poster": ((2, 3), (160, 320, 480), "(max-width: 40rem) 10rem, 16rem"),
    # .film-card's first column
    "poster-card": ((2, 3), (88, 112, 176, 224), "(max-width: 40rem) 5.5rem, 7rem"),
    # .search-result's first column
    "poster-small": ((2, 3), (64, 128), "4rem"),
    # .person__header's first column
    "headshot": ((4, 5), (160, 320, 480), "(max-width: 40rem) 10rem, 14rem"),
    # .cast-grid's columns: two at phone width (half of the page less its padding and the gap),
    # three up to 40rem, then about 11rem (auto-fill of at least 9.5rem) on a wide page
    "headshot-card": (
        (4, 5),
        (160, 176, 320, 352),
        "(max-width: 32.5rem) calc(50vw - 1.5rem), (max-width: 40rem) calc(33vw - 1.4rem), 11rem",
    ),
    # .credit-list__item's and .search-result's first column
    "headshot-small": ((4, 5), (64, 128), "4rem"),
    # .returning__row's first column
    "headshot-row": ((4, 5), (48, 56, 96, 112), "(max-width: 40rem) 3rem, 3.5rem"),
}


def _thumbnails(image, kind: str) -> list:
    (ratio_w, ratio_h), widths, _sizes = PICTURE_KINDS[kind]
    return [
        # raise_errors: a source sorl cannot read raises (caught by picture()) instead of giving
        # an empty thumbnail, which sorl 14 will stop doing.
        get_thumbnail(
            image,
            f"{width}x{width * ratio_h // ratio_w}",
            crop="center",
            upscale=False,
            raise_errors=True,
        )
        for width in widths
    ]


def _by_width(thumbnails: list) -> list:
    """One thumbnail per width: a small source is never upscaled, so widths can repeat."""
    return list({thumb.width: thumb for thumb in thumbnails}.values())


@register.inclusion_tag("films/_picture.html")
def picture(image, kind: str, alt: str, label: str = "", priority: bool = False) -> dict:
    """An <img> with WebP thumbnails in several widths; a placeholder when there is no image.

    `label` is what the placeholder shows (initials or a title); it defaults to `alt`.
    `priority` marks the page's largest image: loaded at once, fetched first (LCP).
    """
    ratio, _widths, sizes = PICTURE_KINDS[kind]
    context = {
        "kind": kind,
        "alt": alt,
        "label": label or alt,
        "sizes": sizes,
        "ratio": ratio,
        "priority": priority,
    }
    if not image:
        return context
    try:
        thumbnails = _thumbnails(image, kind)
        srcset = ", ".join(f"{thumb.url} {thumb.width}w" for thumb in _by_width(thumbnails))
    except Exception:
        # A file missing from storage or damaged after upload must not take the page down.
        logger.exception("Could not make thumbnails of %s", image.name)
        return context
    context |= {"src": thumbnails[0], "srcset": srcset}
    return context


@register.inclusion_tag("films/_sequel_spotlight.html")
def sequel_spotlight() -> dict:
    """The newest sequel still to come, its status and who is returning: four queries."""
    sequel = Film.objects.latest_sequel()
    rows = who_is_returning(sequel) if sequel else []
    return {"sequel": sequel, "rows": rows, "compact": True}
