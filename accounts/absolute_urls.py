"""Absolute URLs, built one way everywhere: structured data, feeds, share tags and emails.

Every app may use this (accounts is the app all others build on). With a request, the URL names
the host the visitor reached; without one (emails sent by a task, a management command), it
starts with the SITE_URL setting.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.http import HttpRequest


def absolute_url(location: str, request: HttpRequest | None = None) -> str:
    """`location` (a path such as obj.get_absolute_url() or a media URL) as an absolute URL; a
    URL that is absolute already comes back as it is."""
    if request is not None:
        return request.build_absolute_uri(location)
    return urljoin(f"{settings.SITE_URL}/", location)
