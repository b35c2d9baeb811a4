import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_post, make_staff, make_upload

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _rss(client) -> ET.Element:
    response = client.get(reverse("news:feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content)


def _atom(client) -> ET.Element:
    response = client.get(reverse("news:atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_rss_lists_only_published_posts_newest_first(client):
    older = make_post(title="Older", published_at=timezone.now() - timedelta(days=2))
    newer = make_post(title="Newer", published_at=timezone.now() - timedelta(days=1))
    make_post(title="Draft", published=False)
    make_post(title="Scheduled", published_at=timezone.now() + timedelta(days=1))

    channel = _rss(client).find("channel")

    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Newer", "Older"]
    assert items[0].findtext("link").endswith(newer.get_absolute_url())
    assert items[1].findtext("guid").endswith(older.get_absolute_url())
    assert items[0].findtext("pubDate")


def test_atom_lists_only_published_posts(client):
    post = make_post(title="Out now", standfirst="The gist.")
    make_post(title="Draft", published=False)

    feed = _atom(client)

    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Out now"]
    assert entries[0].findtext(f"{ATOM}summary") == "The gist."
    assert entries[0].find(f"{ATOM}link").get("href").endswith(post.get_absolute_url())
    assert entries[0].findtext(f"{ATOM}published")
    assert entries[0].findtext(f"{ATOM}updated")


def test_rss_item_carries_featured_image_as_enclosure(client):
    post = make_post(featured_image=make_upload(), image_alt="A picture")

    enclosure = _rss(client).find("channel/item/enclosure")

    assert enclosure.get("url") == f"http://testserver{post.featured_image.url}"
    assert enclosure.get("type") == "image/png"
    assert int(enclosure.get("length")) == post.featured_image.size


def test_enclosure_url_names_the_host_of_the_request(client, settings):
    settings.ALLOWED_HOSTS = ["fans.example"]
    settings.SITE_URL = "https://elsewhere.example"
    post = make_post(featured_image=make_upload(), image_alt="A picture")

    response = client.get(reverse("news:feed"), headers={"host": "fans.example"})

    enclosure = ET.fromstring(response.content).find("channel/item/enclosure")
    assert enclosure.get("url") == f"http://fans.example{post.featured_image.url}"


def test_atom_entry_carries_featured_image_as_enclosure_link(client):
    post = make_post(featured_image=make_upload(), image_alt="A picture")

    links = _atom(client).findall(f"{ATOM}entry/{ATOM}link")

    enclosures = [link for link in links if link.get("rel") == "enclosure"]
    assert len(enclosures) == 1
    assert enclosures[0].get("href").endswith(post.featured_image.url)


def test_post_without_image_has_no_enclosure(client):
    make_post()

    assert _rss(client).find("channel/item/enclosure") is None


def test_feed_names_the_author(client):
    make_post(author=make_staff(display_name="Editor Ann"))

    item = _rss(client).find("channel/item")

    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Editor Ann"


def test_feed_queries_do_not_grow_with_posts(client, django_assert_max_num_queries):
    """Guards feed items against an N+1 on each post's author."""
    author = make_staff()
    for _ in range(25):
        make_post(author=author)

    with django_assert_max_num_queries(1):
        response = client.get(reverse("news:feed"))

    assert len(ET.fromstring(response.content).findall("channel/item")) == 20


def test_pages_announce_the_feeds(client):
    response = client.get(reverse("news:index"))

    assert b'type="application/rss+xml"' in response.content
    assert b'type="application/atom+xml"' in response.content


def test_atom_feed_has_an_author_for_entries_without_one(client):
    make_post(author=None)

    feed = _atom(client)

    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Romy and Michele Fans"
    assert feed.findtext(f"{ATOM}id")
    assert feed.findtext(f"{ATOM}updated")
