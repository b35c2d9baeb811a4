"""`{{ data|json_ld }}`: a dict built in Python as a schema.org <script> element.

Every app's page uses this one filter, so the escaping that keeps the JSON inside its element
lives in one place.
"""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# json.dumps leaves <, > and & alone; inside a <script> element "</script>" would end it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data: dict) -> SafeString:
    """The data in a <script type="application/ld+json"> element, safe inside HTML."""
    payload = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(payload))
