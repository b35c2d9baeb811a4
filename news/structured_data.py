"""Sharing metadata for a post: schema.org NewsArticle as a dict, and absolute addresses."""

from django.conf import settings

from news.models import Post


def absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}{url}"


def post_json_ld(post: Post) -> dict:
    """schema.org NewsArticle for the post page (uses only what `for_detail()` loaded)."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title,
        "description": post.standfirst,
        "mainEntityOfPage": absolute(post.get_absolute_url()),
        "datePublished": post.published_at.isoformat() if post.published_at else None,
        "dateModified": post.updated_at.isoformat(),
        "publisher": {"@type": "Organization", "name": "Romy and Michele Fans"},
        "about": [
            {"@type": "Movie", "name": film.title, "url": absolute(film.get_absolute_url())}
            for film in post.films.all()
        ],
        "mentions": [
            {"@type": "Person", "name": person.name, "url": absolute(person.get_absolute_url())}
            for person in post.people.all()
        ],
    }
    if post.author:
        data["author"] = {"@type": "Person", "name": post.author.public_name}
    if post.featured_image:
        data["image"] = [absolute(post.featured_image.url)]
    return {key: value for key, value in data.items() if value not in (None, "", [])}
