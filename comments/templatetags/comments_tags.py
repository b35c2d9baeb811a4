"""Discussions shown on other apps' pages. Films and news use these, so they never import comments.

Contract (the discussions issue fills them in):
- {% discussions_for subject %}: the threads about a film, person or character, with a
  "Start a discussion" link.
- {% comment_thread_for_post post %}: a news post's comments, under the article.
"""

from django import template

register = template.Library()


@register.inclusion_tag("comments/_discussions_for.html", takes_context=True)
def discussions_for(context, subject) -> dict:
    return {"threads": [], "subject": subject, "request": context.get("request")}


@register.inclusion_tag("comments/_post_thread.html", takes_context=True)
def comment_thread_for_post(context, post) -> dict:
    return {"post": post, "request": context.get("request")}
