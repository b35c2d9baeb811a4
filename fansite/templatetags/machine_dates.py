"""`{{ when|machine_date }}`: a date or a datetime as a `<time datetime="...">` value. Loaded in
every template (TEMPLATES' builtins): `|date:"c"` would keep microseconds, which HTML refuses."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_date(value: datetime.date | None) -> str:
    """ISO 8601 the HTML checker accepts: a date as YYYY-MM-DD; a datetime in the site's time
    zone, to the second, with its offset."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    return value.isoformat()
