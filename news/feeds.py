"""RSS and Atom feeds of the latest published posts, with their featured images."""

import copy
import mimetypes

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import escape

from accounts.absolute_urls import absolute_url
from news.models import Post

FEED_LENGTH = 20


class LatestPostsRss(Feed):
    title = "Romy and Michele Fans: news"
    description = "News about Romy and Michele's High School Reunion and its sequel."
    # Atom wants an author for every entry; the site stands in when a post has none.
    author_name = "Romy and Michele Fans"

    def __call__(self, request, *args, **kwargs):
        # One instance serves every request; a copy per request can hold the request safely.
        feed = copy.copy(self)
        feed.request = request
        return super(LatestPostsRss, feed).__call__(request, *args, **kwargs)

    def link(self) -> str:
        return reverse("news:index")

    def items(self):
        return Post.objects.published().for_index()[:FEED_LENGTH]

    def item_title(self, post: Post) -> str:
        return post.title

    def item_description(self, post: Post) -> str:
        # A feed's description is HTML to the reader; the standfirst is plain text.
        return escape(post.standfirst or post.title)

    def item_pubdate(self, post: Post):
        return post.published_at

    def item_updateddate(self, post: Post):
        # Atom's <updated>: when readers last saw it change, not any save (status, links).
        return post.modified_at

    def item_author_name(self, post: Post) -> str | None:
        return post.author.public_name if post.author else None

    def item_enclosures(self, post: Post) -> list[Enclosure]:
        if not post.featured_image:
            return []
        image = post.featured_image
        try:
            length = image.size
        except OSError:
            # A file missing from storage should not take the whole feed down.
            return []
        mime_type = mimetypes.guess_type(image.name)[0] or "image/jpeg"
        # Absolute on the same host as the feed's own links.
        url = absolute_url(image.url, self.request)
        return [Enclosure(url, str(length), mime_type)]


class LatestPostsAtom(LatestPostsRss):
    feed_type = Atom1Feed
    subtitle = LatestPostsRss.description
