from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse

from tests.factories import make_person, make_post, make_upload

pytestmark = pytest.mark.django_db


def test_home_page_renders_with_navigation(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("films:index", "news:index", "comments:index", "account_login", "search"):
        assert f'href="{reverse(name)}' in html or f'action="{reverse(name)}"' in html


def test_pages_send_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(client):
    with mock.patch("fansite.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_sitemap_lists_the_main_pages(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert b"/films/" in response.content


def test_unknown_page_is_404(client):
    assert client.get("/no-such-page/").status_code == 404


def test_search_asks_for_a_longer_query(client):
    response = client.get(reverse("search"), {"q": "a"})
    assert response.status_code == 200
    assert "at least 2 characters" in response.content.decode()


def test_sitemap_lists_films_people_characters_posts_and_threads(client):
    from tests.factories import make_character, make_film, make_person, make_post, make_thread

    film, person = make_film(slug="the-film"), make_person(slug="a-person")
    character, post = make_character(slug="a-character"), make_post(slug="a-post")
    draft = make_post(slug="a-draft", published=False)
    thread = make_thread(title="Best outfit?", comment_count=1)  # empty threads are left out
    content = client.get("/sitemap.xml").content.decode()
    for obj in (film, person, character, post, thread):
        assert obj.get_absolute_url() in content
    assert draft.slug not in content


def test_notifications_address_leads_to_the_notifications_page(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"] == reverse("comments:notifications")


def test_not_found_page_is_in_the_site_chrome(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


def test_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html


def test_favicon_ico_leads_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


@pytest.mark.parametrize("name", ["home", "healthz", "films:index", "news:index", "search"])
def test_head_requests_are_answered_like_get(client, name):
    """Uptime monitors and load balancers often send HEAD."""
    response = client.head(reverse(name))
    assert response.status_code == 200


def test_canonical_and_og_url_name_the_host_of_the_request(client, settings):
    settings.ALLOWED_HOSTS = ["fans.example"]
    settings.SITE_URL = "https://elsewhere.example"
    response = client.get(reverse("films:index"), headers={"host": "fans.example"})
    html = response.content.decode()
    assert '<link rel="canonical" href="http://fans.example/films/">' in html
    assert '<meta property="og:url" content="http://fans.example/films/">' in html


def test_post_canonical_and_share_image_name_the_host_of_the_request(client, settings):
    settings.ALLOWED_HOSTS = ["fans.example"]
    settings.SITE_URL = "https://elsewhere.example"
    post = make_post(featured_image=make_upload(), image_alt="A picture")
    response = client.get(post.get_absolute_url(), headers={"host": "fans.example"})
    html = response.content.decode()
    assert f'<link rel="canonical" href="http://fans.example{post.get_absolute_url()}">' in html
    assert '<meta property="og:image" content="http://fans.example/media/' in html


def test_person_share_image_names_the_host_of_the_request(client, settings):
    settings.ALLOWED_HOSTS = ["fans.example"]
    person = make_person()
    person.headshot.save("face.png", make_upload(size=(200, 250)), save=True)
    response = client.get(person.get_absolute_url(), headers={"host": "fans.example"})
    assert (
        '<meta property="og:image" content="http://fans.example/media/' in response.content.decode()
    )
