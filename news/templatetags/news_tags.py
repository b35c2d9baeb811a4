"""News shown on other apps' pages. The films app uses these, so it never imports news.

Contract (the news issue fills them in):
- {% news_for_film film %}: published posts related to the film, newest first.
- {% news_for_person person %}: published posts related to the person, newest first.
"""

from django import template

register = template.Library()


@register.inclusion_tag("news/_related_news.html")
def news_for_film(film, limit: int = 5) -> dict:
    return {"posts": [], "subject": film}


@register.inclusion_tag("news/_related_news.html")
def news_for_person(person, limit: int = 5) -> dict:
    return {"posts": [], "subject": person}
