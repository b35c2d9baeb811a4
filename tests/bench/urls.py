"""The site's URLs plus a bare hello-world view: the ceiling, served through the same gunicorn
settings, settings and middleware as every page."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_safe


@require_safe
def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world!", content_type="text/plain")


urlpatterns = [
    path("bench/hello/", hello, name="bench-hello"),
    path("", include("fansite.urls")),
]
