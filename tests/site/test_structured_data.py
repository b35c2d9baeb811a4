import json
import re

import pytest
from django.template import Context, Template

from fansite.templatetags.structured_data import json_ld
from news.structured_data import post_json_ld
from tests.factories import make_film, make_person, make_post

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def test_json_ld_filter_renders_a_script_element_with_escaped_markup():
    html = json_ld({"name": "</script><b>&</b>"})
    assert html.startswith('<script type="application/ld+json">')
    payload = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in payload and "&" not in payload
    assert json.loads(payload) == {"name": "</script><b>&</b>"}


def test_absolute_url_tag_names_the_host_of_the_request(rf, settings):
    settings.ALLOWED_HOSTS = ["fans.example"]
    request = rf.get("/", headers={"host": "fans.example"})
    template = Template("{% load absolute_urls %}{% absolute_url '/films/' %}")
    assert template.render(Context({"request": request})) == "http://fans.example/films/"


def test_absolute_url_tag_without_a_request_starts_with_site_url(settings):
    settings.SITE_URL = "https://fans.example"
    template = Template("{% load absolute_urls %}{% absolute_url '/films/' %}")
    assert template.render(Context({})) == "https://fans.example/films/"


def test_film_and_person_json_ld_name_the_host_of_the_request(client, settings):
    settings.ALLOWED_HOSTS = ["fans.example"]
    settings.SITE_URL = "https://elsewhere.example"
    film = make_film()
    for url in (film.get_absolute_url(), make_person().get_absolute_url()):
        response = client.get(url, headers={"host": "fans.example"})
        data = json.loads(JSON_LD.search(response.content.decode()).group(1))
        assert data["url"] == f"http://fans.example{url}"


def test_post_json_ld_names_the_host_of_the_request(rf, settings):
    settings.ALLOWED_HOSTS = ["fans.example"]
    settings.SITE_URL = "https://elsewhere.example"
    post = make_post()
    post.people.add(make_person())
    data = post_json_ld(post, rf.get("/", headers={"host": "fans.example"}))
    assert data["mainEntityOfPage"] == f"http://fans.example{post.get_absolute_url()}"
    assert data["mentions"][0]["url"].startswith("http://fans.example/people/")


def test_post_json_ld_without_a_request_starts_with_site_url(settings):
    settings.SITE_URL = "https://fans.example"
    post = make_post()
    assert (
        post_json_ld(post)["mainEntityOfPage"] == f"https://fans.example{post.get_absolute_url()}"
    )
