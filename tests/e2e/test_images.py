"""Every image's srcset and sizes fit the slot it fills, measured in the browser: the candidate
chromium picks is at most about twice what the slot needs at the screen's density, and `sizes`
says the slot's width (so the browser can pick before the layout is known).

Checked on every page type with pictures (home, films index, film, cast, person, character,
news index, post, search results, a thread with avatars) at 360 px (1x and 2x) and 1280 px.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from comments.models import Thread
from films.models import Character, Film, Person
from news.models import Post

pytestmark = pytest.mark.django_db(transaction=True)

# (width, device pixel ratio)
SCREENS = [(360, 1), (360, 2), (1280, 1)]
# The chosen candidate may be up to this many times what the slot needs (a srcset's steps are
# about 2x apart).
MOST_OVER = 2.0
# `sizes` may differ from the rendered width by this much: fluid grid columns move between the
# breakpoints `sizes` names.
SIZES_TOLERANCE = 0.15

# For each <img> once loaded: its rendered width, the chosen file's own width (img.naturalWidth
# is divided by the candidate's density, so the file is opened again on its own), and what its
# `sizes` evaluates to here (the first media condition that matches, as the browser reads it).
MEASURE = """async () => {
  const fileWidth = async (url) => {
    const file = new Image();
    file.src = url;
    await file.decode();
    return file.naturalWidth;
  };
  const cssWidth = (length) => {
    const probe = document.createElement("div");
    probe.style.cssText = `position:absolute;visibility:hidden;width:${length}`;
    document.body.append(probe);
    const width = probe.getBoundingClientRect().width;
    probe.remove();
    return width;
  };
  const sizesWidth = (sizes) => {
    if (!sizes) return null;
    for (const entry of sizes.split(/,(?![^(]*\\))/)) {
      const match = entry.trim().match(/^(\\(.*\\))\\s+(.+)$/);
      if (!match) return cssWidth(entry.trim());
      if (matchMedia(match[1]).matches) return cssWidth(match[2]);
    }
    return null;
  };
  const shown = [...document.images].filter((img) => img.getClientRects().length);
  return Promise.all(shown.map(async (img) => ({
    img: img.outerHTML.slice(0, 160),
    rendered: img.getBoundingClientRect().width,
    natural: await fileWidth(img.currentSrc),
    sizes: sizesWidth(img.getAttribute("sizes")),
    hasSrcset: img.hasAttribute("srcset"),
    dpr: devicePixelRatio,
  })));
}"""
# Lazy images below the fold load only once near the viewport: load them all, then wait.
LOAD_ALL = """async () => {
  for (const img of document.images) img.loading = "eager";
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
}"""


@pytest.fixture
def pages(tmp_path, settings) -> list[tuple[str, str]]:
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", verbosity=0)
    film = Film.objects.filter(sequel_to__isnull=True).order_by("release_date").first()
    sequel = Film.objects.filter(sequel_to__isnull=False).order_by("release_date").first()
    post = Post.objects.published().exclude(featured_image="").order_by("-published_at").first()
    person = Person.objects.exclude(headshot="").order_by("pk").first()
    thread = Thread.objects.filter(comment_count__gt=0).order_by("-comment_count").first()
    return [
        ("home", reverse("home")),
        ("films-index", reverse("films:index")),
        ("film", film.get_absolute_url()),
        ("sequel", sequel.get_absolute_url()),
        ("cast", reverse("films:cast", args=[film.slug])),
        ("person", person.get_absolute_url()),
        ("character", Character.objects.order_by("pk").first().get_absolute_url()),
        ("news-index", reverse("news:index")),
        ("post", post.get_absolute_url()),
        ("search", reverse("search") + "?q=Romy"),
        ("thread", thread.get_absolute_url()),
    ]


def _problems(name: str, measured: list[dict]) -> list[str]:
    problems = []
    for image in measured:
        where = f"{name}: {image['img']}"
        needed = image["rendered"] * image["dpr"]
        if image["natural"] > MOST_OVER * needed + 1:
            problems.append(
                f"{where}: a {image['natural']} px file for a {image['rendered']:.0f} px slot"
                f" at {image['dpr']}x"
            )
        if image["sizes"] is not None:
            off = abs(image["sizes"] - image["rendered"]) / image["rendered"]
            if off > SIZES_TOLERANCE:
                problems.append(
                    f"{where}: sizes says {image['sizes']:.0f} px, the slot is"
                    f" {image['rendered']:.0f} px"
                )
        elif image["hasSrcset"] and "w," in image["img"]:
            problems.append(f"{where}: a width-described srcset without sizes")
    return problems


@pytest.mark.parametrize(("width", "dpr"), SCREENS)
def test_every_image_fits_its_slot(browser, live_server, pages, width, dpr):
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=dpr)
    page = context.new_page()
    problems, seen = [], 0
    for name, path in pages:
        # A fresh page each time: the cache of a wider screen's files must not pick for this one.
        page.goto(live_server.url + path)
        page.evaluate(LOAD_ALL)
        measured = page.evaluate(MEASURE)
        seen += len(measured)
        problems += _problems(f"{name} at {width}px {dpr}x", measured)
    context.close()
    assert seen > 20
    assert not problems, f"{len(problems)} images not sized for their slot:\n" + "\n".join(problems)
