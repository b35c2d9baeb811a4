"""Sharing metadata for a post: schema.org NewsArticle as a dict."""

from django.http import HttpRequest

from accounts.absolute_urls import absolute_url
from news.models import Post


def post_json_ld(post: Post, request: HttpRequest | None = None) -> dict:
    """schema.org NewsArticle for the post page (uses only what `for_detail()` loaded); URLs on
    the request's host."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title,
        "description": post.standfirst,
        "mainEntityOfPage": absolute_url(post.get_absolute_url(), request),
        "datePublished": post.published_at.isoformat() if post.published_at else None,
        "dateModified": post.modified_at.isoformat() if post.modified_at else None,
        "publisher": {"@type": "Organization", "name": "Romy and Michele Fans"},
        "about": [
            {
                "@type": "Movie",
                "name": film.title,
                "url": absolute_url(film.get_absolute_url(), request),
            }
            for film in post.films.all()
        ],
        "mentions": [
            {
                "@type": "Person",
                "name": person.name,
                "url": absolute_url(person.get_absolute_url(), request),
            }
            for person in post.people.all()
        ],
    }
    if post.author:
        data["author"] = {"@type": "Person", "name": post.author.public_name}
    if post.featured_image:
        data["image"] = [absolute_url(post.featured_image.url, request)]
    return {key: value for key, value in data.items() if value not in (None, "", [])}
