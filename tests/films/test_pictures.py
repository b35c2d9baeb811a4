"""The largest image of a film or person page is fetched first and at once; smaller slots (the
films index's cards) offer thumbnails their size, so an 88 px slot never downloads 480 px."""

import re

import pytest

from films.templatetags.films_tags import PICTURE_KINDS
from tests.factories import make_film, make_person, make_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _imgs(html: str, kind: str) -> list[str]:
    return re.findall(rf'<img class="picture picture--{kind}"[^>]*>', html)


def _widths(img: str) -> list[int]:
    srcset = re.search(r'srcset="([^"]+)"', img).group(1)
    return [int(entry.split()[1].rstrip("w")) for entry in srcset.split(", ")]


def test_film_poster_is_eager_and_high_priority(client):
    film = make_film()
    film.poster.save("poster.png", make_upload(size=(600, 900)), save=True)
    [img] = _imgs(client.get(film.get_absolute_url()).content.decode(), "poster")
    assert 'fetchpriority="high"' in img
    assert "loading=" not in img
    assert re.search(r'width="\d+" height="\d+"', img)
    assert 'sizes="(max-width: 40rem) 10rem, 16rem"' in img


def test_person_headshot_is_eager_and_high_priority(client):
    person = make_person()
    person.headshot.save("headshot.png", make_upload(size=(600, 750)), save=True)
    [img] = _imgs(client.get(person.get_absolute_url()).content.decode(), "headshot")
    assert 'fetchpriority="high"' in img
    assert "loading=" not in img


def test_film_cards_are_lazy_and_sized_for_their_slot(client):
    film = make_film()
    film.poster.save("poster.png", make_upload(size=(600, 900)), save=True)
    [img] = _imgs(client.get("/films/").content.decode(), "poster-card")
    assert 'loading="lazy"' in img
    assert "fetchpriority" not in img
    assert 'sizes="(max-width: 40rem) 5.5rem, 7rem"' in img
    # 7rem is 112 px: at twice the density 224 px is the most it needs.
    assert max(_widths(img)) <= 224
    assert min(_widths(img)) == 88


def test_every_kind_offers_widths_up_to_twice_its_widest_slot():
    """A srcset covering the slot at 1x and 2x, and no more, for every `sizes` value in rem."""
    for kind, (_ratio, widths, sizes) in PICTURE_KINDS.items():
        widest = max(float(rem) * 16 for rem in re.findall(r"(?<![\d.])([\d.]+)rem(?!\))", sizes))
        assert min(widths) <= widest, kind
        assert max(widths) >= widest * 1.8, kind
        assert max(widths) <= widest * 2.5, kind


def test_news_card_offers_a_srcset_for_its_slot(client):
    from tests.factories import make_post

    post = make_post(image_alt="Romy and Michele at the reunion")
    post.featured_image.save("featured.png", make_upload(size=(1280, 720)), save=True)
    html = client.get("/news/").content.decode()
    img = re.search(r'<img class="news-card__image"[^>]*>', html).group(0)
    assert _widths(img) == [320, 640]
    assert 'sizes="(max-width: 40rem) calc(100vw - 2rem), (max-width: 72rem) 50vw, 23rem"' in img
    assert 'loading="lazy"' in img
    assert re.search(r'width="640" height="360"', img)


def test_search_results_pictures_are_sized_for_their_4rem_slot(client):
    """The search result's first column is 4rem (site.css): posters and news pictures alike."""
    from tests.factories import make_post

    film = make_film(title="Xanadu Reunion")
    film.poster.save("poster.png", make_upload(size=(600, 900)), save=True)
    post = make_post(title="Xanadu Reunion news", image_alt="The reunion")
    post.featured_image.save("featured.png", make_upload(size=(1280, 720)), save=True)
    html = client.get("/search/", {"q": "Xanadu"}).content.decode()
    [poster] = _imgs(html, "poster-small")
    assert 'sizes="4rem"' in poster
    assert _widths(poster) == [64, 128]
    news = re.search(r'<img class="search-result__image"[^>]*>', html).group(0)
    assert 'sizes="4rem"' in news
    assert _widths(news) == [64, 128]


def test_film_page_cast_cards_use_the_cast_grid_slot_not_the_person_page_one(client):
    from tests.factories import make_credit, make_person

    film = make_film()
    person = make_person()
    person.headshot.save("headshot.png", make_upload(size=(600, 750)), save=True)
    make_credit(film=film, person=person)
    html = client.get(film.get_absolute_url()).content.decode()
    [card] = _imgs(html, "headshot-card")
    assert f'sizes="{PICTURE_KINDS["headshot-card"][2]}"' in card
    assert max(_widths(card)) <= 352
