import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from fansite.theme import THEME_COOKIE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_choosing_a_theme_sets_the_cookie_and_goes_back(client, theme):
    response = client.post(reverse("theme"), {"theme": theme, "next": "/films/"})
    assert response.status_code == 302
    assert response["Location"] == "/films/"
    cookie = response.cookies[THEME_COOKIE]
    assert cookie.value == theme
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"]


def test_choosing_the_system_theme_clears_the_cookie(client):
    client.cookies[THEME_COOKIE] = "dark"
    response = client.post(reverse("theme"), {"theme": "system", "next": "/news/"})
    assert response["Location"] == "/news/"
    assert response.cookies[THEME_COOKIE].value == ""
    assert response.cookies[THEME_COOKIE]["max-age"] == 0


@pytest.mark.parametrize("value", ["", "sepia", "dark; path=/"])
def test_an_unknown_theme_is_400_and_sets_nothing(client, value):
    response = client.post(reverse("theme"), {"theme": value})
    assert response.status_code == 400
    assert THEME_COOKIE not in response.cookies
    assertContains(response, "We could not read that request", status_code=400)


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_theme_switch_goes_home_when_next_is_not_this_site(client, next_url):
    response = client.post(reverse("theme"), {"theme": "dark", "next": next_url})
    assert response["Location"] == reverse("home")


def test_theme_switch_from_the_script_gets_no_page_back(client):
    response = client.post(reverse("theme"), {"theme": "dark"}, headers={"X-Theme-Switch": "1"})
    assert response.status_code == 204
    assert response.cookies[THEME_COOKIE].value == "dark"


@pytest.mark.parametrize("method", ["get", "head"])
def test_theme_switch_refuses_get_and_writes_nothing(client, method):
    response = getattr(client, method)(reverse("theme"), {"theme": "dark"})
    assert response.status_code == 405
    assert not response.cookies


def test_the_page_follows_the_system_without_a_cookie(client):
    response = client.get(reverse("home"))
    assertContains(response, '<html lang="en">')
    assertContains(response, '<meta name="color-scheme" content="light dark">')
    assertContains(response, 'value="system" aria-pressed="true"')


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_page_renders_the_chosen_theme(client, theme):
    client.cookies[THEME_COOKIE] = theme
    response = client.get(reverse("home"))
    assertContains(response, f'<html lang="en" data-theme="{theme}">')
    assertContains(response, f'<meta name="color-scheme" content="{theme}">')
    assertContains(response, f'value="{theme}" aria-pressed="true"')


def test_a_forged_theme_cookie_is_ignored(client):
    client.cookies[THEME_COOKIE] = '"><script>alert(1)</script>'
    response = client.get(reverse("home"))
    assertContains(response, '<html lang="en">')
    assertNotContains(response, "alert(1)")


def test_the_theme_switch_adds_no_inline_script_or_style(client):
    """CSP allows only our files: the switch is a plain form, the script is site.js."""
    client.cookies[THEME_COOKIE] = "dark"
    html = client.get(reverse("home")).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_a_dark_theme_visitor_never_gets_the_cached_light_page(client, page_cache):
    client.get(reverse("home"))  # the light (system) page, now cached
    client.cookies[THEME_COOKIE] = "dark"
    dark = client.get(reverse("home"))
    assert dark["X-Page-Cache"] == "miss"
    assertContains(dark, 'data-theme="dark"')
    assert client.get(reverse("home"))["X-Page-Cache"] == "hit"
    del client.cookies[THEME_COOKIE]
    light = client.get(reverse("home"))
    assert light["X-Page-Cache"] == "hit"
    assertNotContains(light, "data-theme")


def test_a_forged_theme_cookie_makes_no_copy_of_a_cached_page(client, page_cache):
    client.get(reverse("home"))
    client.cookies[THEME_COOKIE] = "neon"
    assert client.get(reverse("home"))["X-Page-Cache"] == "hit"
