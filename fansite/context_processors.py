from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Names every template may need for the chrome and canonical links."""
    return {"SITE_NAME": "Romy and Michele Fans", "SITE_URL": settings.SITE_URL}
