"""Thumbnails are made for their slot: 1x and 2x, never enlarged, never over the cap."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from PIL import Image
from sorl.thumbnail import get_thumbnail

from accounts.thumbnails import capped_geometry
from tests.factories import (
    make_comment,
    make_credit,
    make_film,
    make_person,
    make_post,
    make_upload,
    make_user,
)

pytestmark = pytest.mark.django_db


def user_with_avatar(side: int):
    user = make_user()
    user.avatar = make_upload("me.png", size=(side, side))
    user.save()
    return user


def image_sizes(html: str) -> set[tuple[int, int]]:
    """The pixel size of every image file an <img>'s src and srcset point at."""
    urls = set(re.findall(rf"{re.escape(settings.MEDIA_URL)}[^\s\"]+", html))
    assert urls, html
    root = Path(settings.MEDIA_ROOT)
    return {Image.open(root / url.removeprefix(settings.MEDIA_URL)).size for url in urls}


def avatar_html(person, size: str) -> str:
    return render_to_string("accounts/_avatar.html", {"person": person, "size": size})


def every_thumbnail_size() -> set[tuple[int, int]]:
    return {Image.open(path).size for path in Path(settings.MEDIA_ROOT, "cache").rglob("*.*")}


def test_profile_avatar_of_a_big_photo_is_made_at_1x_and_2x_only():
    html = avatar_html(user_with_avatar(2400), "160")
    assert image_sizes(html) == {(160, 160), (320, 320)}
    assert " 1x" in html and " 2x" in html


def test_comment_avatar_is_made_at_1x_and_2x_only():
    assert image_sizes(avatar_html(user_with_avatar(2400), "32")) == {(32, 32), (64, 64)}


def test_a_small_avatar_is_never_enlarged():
    html = avatar_html(user_with_avatar(100), "160")
    assert image_sizes(html) == {(100, 100)}
    assert " 2x" not in html


def test_an_avatar_slot_over_the_cap_is_clamped():
    sizes = image_sizes(avatar_html(user_with_avatar(2400), "5000"))
    assert max(max(size) for size in sizes) <= settings.THUMBNAIL_MAX_SIZE


def test_user_without_avatar_shows_the_initial():
    html = avatar_html(make_user(username="romy"), "32")
    assert "<img" not in html
    assert ">R<" in html


@pytest.mark.parametrize(
    ("asked", "capped"),
    [
        ("160x160", "160x160"),
        ("5000x5000", "1600x1600"),
        ("3200x1600", "1600x800"),
        ("4000", "1600x1600"),
        ("x4000", "1600x1600"),
        ("600", "600x1600"),
    ],
)
def test_requested_geometry_is_capped_keeping_its_proportions(asked, capped):
    assert capped_geometry(asked, 1600) == capped


def test_no_thumbnail_is_made_over_the_cap_whatever_is_asked():
    user = user_with_avatar(2400)
    assert max(get_thumbnail(user.avatar, "5000x5000").size) <= settings.THUMBNAIL_MAX_SIZE
    assert max(get_thumbnail(user.avatar, "3000").size) <= settings.THUMBNAIL_MAX_SIZE


def test_a_thumbnail_tag_without_upscale_false_still_never_enlarges():
    user = user_with_avatar(100)
    assert tuple(get_thumbnail(user.avatar, "1200x630", crop="center").size) == (100, 100)


def render_every_image_page(client, side: int) -> None:
    """Every page that shows an uploaded image, each image `side` pixels square."""
    author = user_with_avatar(side)
    poster = make_film(poster=make_upload("poster.png", size=(side, side)))
    person = make_person(headshot=make_upload("face.png", size=(side, side)))
    make_credit(film=poster, person=person)
    post = make_post(featured_image=make_upload("news.png", size=(side, side)), image_alt="A")
    comment = make_comment(author=author)
    pages = [
        author.get_absolute_url(),
        poster.get_absolute_url(),
        f"{poster.get_absolute_url()}cast/",
        person.get_absolute_url(),
        post.get_absolute_url(),
        "/news/",
        "/films/",
        comment.thread.get_absolute_url(),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_no_page_makes_a_thumbnail_over_the_cap(client):
    render_every_image_page(client, 3000)
    sizes = every_thumbnail_size()
    assert len(sizes) > 5
    assert max(max(size) for size in sizes) <= settings.THUMBNAIL_MAX_SIZE


def test_no_page_enlarges_a_small_image(client):
    render_every_image_page(client, 100)
    sizes = every_thumbnail_size()
    assert sizes
    assert max(max(size) for size in sizes) <= 100
