"""`{% absolute_url location %}`: a path or media URL as an absolute URL, for canonical links and
share tags.

It calls `accounts.absolute_urls.absolute_url`, the one place absolute URLs are built: with the
context's request the URL names the host the visitor reached; without one (an email, a page
rendered outside a request) it starts with SITE_URL. A tag rather than a filter so that a template
rendered without a request still renders.
"""

from django import template

from accounts import absolute_urls

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context: template.Context, location: str) -> str:
    return absolute_urls.absolute_url(str(location), context.get("request"))
