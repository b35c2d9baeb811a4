from django.conf import settings
from django.http import HttpRequest

from fansite.theme import chosen_theme


def site(request: HttpRequest) -> dict:
    """Names every template may need for the chrome, canonical links and the colour theme."""
    return {
        "SITE_NAME": "Romy and Michele Fans",
        "SITE_URL": settings.SITE_URL,
        "THEME": chosen_theme(request),
    }
