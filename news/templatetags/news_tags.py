"""News shown on other apps' pages. The films app uses these, so it never imports news.

- {% news_for_film film %}: published posts related to the film, newest first.
- {% news_for_person person %}: published posts related to the person, newest first.
- {% news_for_character character %}: published posts related to the character, newest first.
- {% latest_news as posts %}: the newest published posts, for the home page.
Each costs one query.
"""

from django import template

from news.models import Post

register = template.Library()


@register.inclusion_tag("news/_related_news.html")
def news_for_film(film, limit: int = 5) -> dict:
    posts = Post.objects.published().about_film(film).for_index()[:limit]
    return {"posts": list(posts), "subject": film}


@register.inclusion_tag("news/_related_news.html")
def news_for_person(person, limit: int = 5) -> dict:
    posts = Post.objects.published().about_person(person).for_index()[:limit]
    return {"posts": list(posts), "subject": person}


@register.inclusion_tag("news/_related_news.html")
def news_for_character(character, limit: int = 5) -> dict:
    posts = Post.objects.published().about_character(character).for_index()[:limit]
    return {"posts": list(posts), "subject": character}


@register.simple_tag
def latest_news(limit: int = 4) -> list[Post]:
    return list(Post.objects.published().for_index()[:limit])
