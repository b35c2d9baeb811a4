"""Absolute links name the address the site runs on: the request's host and port where there is
a request (`make run PORT=8101`), SITE_URL where there is none (emails sent by tasks)."""

import json
import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from comments import services as comment_services
from tests.factories import make_film, make_post, make_upload, make_user, start_thread

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1:8101"
SITE = f"http://{HOST}"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def on_port_8101(client, settings):
    """A client reaching the site as http://127.0.0.1:8101, with SITE_URL naming elsewhere so
    a link built from the setting rather than the request shows."""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.SITE_URL = "https://elsewhere.example"
    client.defaults["HTTP_HOST"] = HOST
    return client


@pytest.fixture
def post():
    film = make_film(title="Romy and Michele: the sequel")
    post = make_post(featured_image=make_upload(size=(160, 90)), image_alt="A sticky note")
    post.films.add(film)
    return post


def _absolute_links(html: str) -> set[str]:
    return set(re.findall(r'(?:href|content|src)="(https?://[^/"]+)', html))


def test_post_page_canonical_open_graph_and_json_ld_use_the_port(on_port_8101, post):
    html = on_port_8101.get(post.get_absolute_url()).content.decode()

    assert f'<link rel="canonical" href="{SITE}{post.get_absolute_url()}">' in html
    assert f'<meta property="og:url" content="{SITE}{post.get_absolute_url()}">' in html
    assert f'<meta property="og:image" content="{SITE}/media/' in html
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    article = next(block for block in _as_list(data) if block.get("@type") == "NewsArticle")
    assert article["mainEntityOfPage"] == f"{SITE}{post.get_absolute_url()}"
    assert article["about"][0]["url"].startswith(SITE)
    assert article["image"][0].startswith(f"{SITE}/media/")
    assert _absolute_links(html) <= {SITE, "https://schema.org"} | _outside_links(html)


def _as_list(data) -> list:
    return data if isinstance(data, list) else [data]


def _outside_links(html: str) -> set[str]:
    """Links the page makes to other sites (a source's outlet), which are not the site's."""
    return {link for link in _absolute_links(html) if "127.0.0.1" not in link} - {
        "https://elsewhere.example"
    }


def test_rss_and_atom_links_use_the_port(on_port_8101, post):
    rss = ElementTree.fromstring(on_port_8101.get(reverse("news:feed")).content)
    atom = ElementTree.fromstring(on_port_8101.get(reverse("news:atom")).content)

    assert rss.findtext("channel/link") == f"{SITE}{reverse('news:index')}"
    assert rss.findtext("channel/item/link") == f"{SITE}{post.get_absolute_url()}"
    assert rss.find("channel/item/enclosure").get("url").startswith(f"{SITE}/media/")
    entry_links = {link.get("href") for link in atom.findall(f"{ATOM}entry/{ATOM}link")}
    assert f"{SITE}{post.get_absolute_url()}" in entry_links
    assert all(link.startswith(SITE) for link in entry_links)


def test_sitemap_and_robots_use_the_port(on_port_8101, post):
    sitemap = ElementTree.fromstring(on_port_8101.get(reverse("sitemap")).content)
    locations = [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    robots = on_port_8101.get("/robots.txt").content.decode()

    assert f"{SITE}{post.get_absolute_url()}" in locations
    assert all(location.startswith(f"{SITE}/") for location in locations)
    assert f"Sitemap: {SITE}{reverse('sitemap')}" in robots


def test_email_sent_by_a_task_links_to_site_url(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    """Notification emails go from a task, which has no request: their links start with
    SITE_URL, the address `make run` serves on (the Makefile sets it from HOST and PORT)."""
    settings.SITE_URL = SITE
    thread = start_thread()
    first = thread.comments.get()

    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_create(
            thread=thread, author=make_user(), body="Replying", parent=first
        )

    (message,) = mailoutbox
    links = re.findall(r"https?://[^\s>]+", message.body)
    assert links
    assert all(link.startswith(f"{SITE}/") for link in links)
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/")


@pytest.mark.parametrize(
    ("command", "environment", "expected"),
    [
        (["make", "-n", "run", "PORT=8101"], {}, 'SITE_URL="http://127.0.0.1:8101"'),
        (["make", "-n", "serve", "PORT=8101"], {}, 'SITE_URL="http://127.0.0.1:8101"'),
        (
            ["make", "-n", "run", "PORT=8101"],
            {"SITE_URL": "https://fans.example"},
            'SITE_URL="https://fans.example"',
        ),
    ],
)
def test_makefile_gives_site_url_from_the_port_unless_set(command, environment, expected):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(REPOSITORY), **environment}
    shown = subprocess.run(
        command, cwd=REPOSITORY, env=env, capture_output=True, text=True, check=True
    ).stdout

    assert expected in shown
