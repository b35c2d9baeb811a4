"""Site-wide response headers and request limits that Django has no setting for."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_cache_control

# Browser features the site never uses, denied to it and to anything it might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PermissionsPolicyMiddleware:
    """First in MIDDLEWARE, so error pages and early redirects carry the header too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class PrivatePagesMiddleware:
    """A signed-in member's pages show their name, notifications and forms: no shared or
    browser cache may keep them. Anonymous pages are left alone (they are cached)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # request.user after the view: signing in makes the response private, signing out not.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response


class RequestSizeLimitMiddleware:
    """A request body larger than any form of ours needs is refused before a byte of it is
    read: Django would otherwise stream a huge upload to disk before the form could say no.
    The reverse proxy should refuse it even earlier (client_max_body_size, see README)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.headers.get("content-length") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BODY_BYTES
        if length > limit:
            context = {
                "size": filesizeformat(length),
                "limit": filesizeformat(limit),
                "image_limit": filesizeformat(settings.IMAGE_UPLOAD_MAX_BYTES),
            }
            return render(request, "413.html", context, status=413)
        return self.get_response(request)
