"""The Follow button of film, person and character pages (the films app uses it, so it never
imports comments).

- {% follow_button subject %}: Follow / Following for a signed-in member (a form htmx swaps in
  place; it works without JavaScript too), a sign-in link for visitors, and the number of
  followers. Two queries, one for a visitor.
"""

from django import template

from comments.following_views import FOLLOW_BUTTON_TEMPLATE, follow_button_context

register = template.Library()


@register.inclusion_tag(FOLLOW_BUTTON_TEMPLATE, takes_context=True)
def follow_button(context, subject) -> dict:
    return follow_button_context(context["request"], subject)
