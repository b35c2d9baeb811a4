"""Editors add films with their cast through the admin; bad input gets a message, never a 500."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains

from accounts.images import MAX_UPLOAD_BYTES
from films.models import Credit, Department, Film, FilmStatus, Person, ReturnStatus
from tests.factories import (
    image_bytes,
    make_character,
    make_credit,
    make_film,
    make_person,
    make_sequel,
    make_upload,
)

pytestmark = pytest.mark.django_db

FILM_ADD = reverse("admin:films_film_add")
CREDIT_FIELDS = ["billing", "department", "person", "character", "job", "status", "reported_on"]


def film_form(credits: list[dict] | None = None, events: list[dict] | None = None, **film) -> dict:
    """The POST of the film add form with its two inlines, as the admin page sends it."""
    data = {
        "title": "Reunion",
        "slug": "reunion",
        "status": FilmStatus.RELEASED,
        "release_date": "1997-04-25",
        "tagline": "",
        "synopsis": "",
        "runtime_minutes": "",
        "distributor": "",
        "based_on": "",
        "sequel_to": "",
        **film,
    }
    credits = credits or []
    events = events or []
    data |= {
        "credits-TOTAL_FORMS": str(len(credits)),
        "credits-INITIAL_FORMS": "0",
        "production_events-TOTAL_FORMS": str(len(events)),
        "production_events-INITIAL_FORMS": "0",
    }
    for index, credit in enumerate(credits):
        row = dict.fromkeys(CREDIT_FIELDS, "") | {"billing": "0", "department": "cast"}
        data |= {f"credits-{index}-{name}": value for name, value in (row | credit).items()}
    for index, event in enumerate(events):
        data |= {f"production_events-{index}-{name}": value for name, value in event.items()}
    return data


def test_admin_adds_a_film_with_its_cast_in_billing_order(staff_client):
    people = [make_person() for _ in range(9)]
    characters = [make_character() for _ in range(9)]
    credits = [
        {"person": str(person.pk), "character": str(character.pk)}
        for person, character in zip(people, characters, strict=True)
    ]
    director = make_person()
    credits.append({"person": str(director.pk), "department": "directing", "job": "Director"})
    response = staff_client.post(FILM_ADD, film_form(credits))
    assert response.status_code == 302
    film = Film.objects.get(slug="reunion")
    cast = list(film.credits.filter(department=Department.CAST).order_by("billing"))
    assert [credit.person for credit in cast] == people
    assert [credit.billing for credit in cast] == list(range(1, 10))
    assert film.credits.get(department=Department.DIRECTING).person == director


def test_new_film_form_offers_rows_for_a_whole_cast(staff_client):
    response = staff_client.get(FILM_ADD)
    assertContains(response, 'name="credits-TOTAL_FORMS" value="12"', html=False)


def test_empty_extra_rows_are_ignored(staff_client):
    data = film_form([{"person": str(make_person().pk)}])
    data["credits-TOTAL_FORMS"] = "3"  # two untouched rows, department left at its default
    for index in (1, 2):
        data |= {f"credits-{index}-{name}": "" for name in CREDIT_FIELDS}
        data |= {f"credits-{index}-billing": "0", f"credits-{index}-department": "cast"}
    assert staff_client.post(FILM_ADD, data).status_code == 302
    assert Credit.objects.count() == 1


def test_status_on_a_released_film_is_a_form_error(staff_client):
    credit = {"person": str(make_person().pk), "status": ReturnStatus.CONFIRMED}
    response = staff_client.post(FILM_ADD, film_form([credit]))
    assert response.status_code == 200
    assertContains(response, "a status is only for films not yet released")
    assert not Film.objects.exists()


def test_character_on_a_crew_credit_is_a_form_error(staff_client):
    credit = {
        "person": str(make_person().pk),
        "department": "directing",
        "job": "Director",
        "character": str(make_character().pk),
    }
    response = staff_client.post(FILM_ADD, film_form([credit]))
    assertContains(response, "Only cast credits can name a character.")
    assert not Film.objects.exists()


def test_released_film_without_date_is_a_form_error(staff_client):
    response = staff_client.post(FILM_ADD, film_form(release_date=""))
    assertContains(response, "A released film needs its release date.")


def test_duplicate_cast_row_is_a_form_error(staff_client):
    person, character = make_person(), make_character()
    row = {"person": str(person.pk), "character": str(character.pk)}
    response = staff_client.post(FILM_ADD, film_form([row, row]))
    assertContains(response, "This person already plays this character in this film.")
    assert not Film.objects.exists()


def test_saving_a_credit_status_in_the_admin_records_its_history(staff_client):
    original = make_film()
    credit = {
        "person": str(make_person().pk),
        "status": ReturnStatus.EXPRESSED_INTEREST,
        "reported_on": "2023-06-01",
    }
    data = film_form(
        [credit],
        title="Sequel",
        slug="sequel",
        status=FilmStatus.IN_DEVELOPMENT,
        release_date="",
        sequel_to=str(original.pk),
    )
    assert staff_client.post(FILM_ADD, data).status_code == 302
    saved = Credit.objects.get(film__slug="sequel")
    change = saved.status_changes.get()
    assert change.status == ReturnStatus.EXPRESSED_INTEREST
    assert str(change.reported_on) == "2023-06-01"


def test_changing_a_status_in_the_credit_admin_adds_a_step(staff_client):
    credit = make_credit(film=make_sequel(), status=ReturnStatus.RUMOURED)
    url = reverse("admin:films_credit_change", args=[credit.pk])
    data = {
        "film": credit.film_id,
        "person": credit.person_id,
        "department": "cast",
        "character": credit.character_id,
        "job": "",
        "billing": "1",
        "status": ReturnStatus.CONFIRMED,
        "reported_on": "2024-02-09",
        "source_post": "",
        "source_name": "Us Weekly",
        "source_url": "",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }
    assert staff_client.post(url, data).status_code == 302
    assert [c.status for c in credit.status_changes.all()] == [ReturnStatus.CONFIRMED]


def test_person_admin_adds_credits_from_the_person_side(staff_client):
    film = make_film()
    data = {
        "name": "Janeane Garofalo",
        "slug": "janeane-garofalo",
        "birth_date": "",
        "bio": "",
        "credits-TOTAL_FORMS": "1",
        "credits-INITIAL_FORMS": "0",
        "credits-0-film": str(film.pk),
        "credits-0-department": "cast",
        "credits-0-character": str(make_character().pk),
        "credits-0-job": "",
        "credits-0-billing": "3",
        "credits-0-status": "",
        "credits-0-reported_on": "",
    }
    response = staff_client.post(reverse("admin:films_person_add"), data)
    assert response.status_code == 302
    assert Person.objects.get(slug="janeane-garofalo").credits.get().film == film


@pytest.mark.parametrize(
    "name",
    ["films_film", "films_person", "films_character", "films_credit"],
)
def test_admin_lists_and_add_forms_render(staff_client, name, reunion):
    assert staff_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"admin:{name}_add")).status_code == 200


def test_person_and_character_autocomplete_answer(staff_client, reunion):
    url = reverse("admin:autocomplete")
    for model_name, field, term in [("credit", "person", "Mira"), ("credit", "character", "Rom")]:
        params = {
            "term": term,
            "app_label": "films",
            "model_name": model_name,
            "field_name": field,
        }
        results = staff_client.get(url, params).json()["results"]
        assert len(results) == 1


def test_admin_is_closed_to_fans(user_client):
    response = user_client.get(reverse("admin:films_film_changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# Uploads


def upload_poster(client, upload) -> object:
    return client.post(FILM_ADD, film_form(poster=upload))


def test_valid_poster_is_stored_re_encoded(staff_client):
    response = upload_poster(staff_client, make_upload("poster.jpg", "JPEG", size=(200, 300)))
    assert response.status_code == 302
    film = Film.objects.get()
    assert film.poster.name.endswith(".jpg")
    assert Image.open(film.poster).size == (200, 300)


def test_poster_preview_shows_in_the_film_list(staff_client):
    film = make_film()
    film.poster.save("p.png", make_upload(size=(200, 300)), save=True)
    response = staff_client.get(reverse("admin:films_film_changelist"))
    assertContains(response, 'class="films-admin-preview"')


def assert_refused(response, message: str) -> None:
    assert response.status_code == 200
    assertContains(response, message)
    assert not Film.objects.exists()


def test_truncated_poster_is_a_form_error(staff_client):
    content = image_bytes("JPEG", size=(400, 600))
    upload = make_upload("poster.jpg", "JPEG")
    upload.file = io.BytesIO(content[: len(content) // 2])
    upload.size = len(content) // 2
    assert_refused(upload_poster(staff_client, upload), "damaged or incomplete")


def test_poster_of_the_wrong_type_is_a_form_error(staff_client):
    upload = make_upload("poster.gif", "GIF")
    assert_refused(upload_poster(staff_client, upload), "JPEG, PNG, WebP or AVIF")


def test_oversized_poster_is_a_form_error(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("huge.png", b"\0" * (MAX_UPLOAD_BYTES + 1), "image/png")
    assert_refused(upload_poster(staff_client, upload), "images may be at most")


def test_decompression_bomb_poster_is_a_form_error(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, format="PNG")
    upload = SimpleUploadedFile("bomb.png", buffer.getvalue(), "image/png")
    assert_refused(upload_poster(staff_client, upload), "million pixels")


def test_damaged_headshot_is_a_form_error_on_the_person_form(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "name": "X",
        "slug": "x",
        "bio": "",
        "birth_date": "",
        "headshot": SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n broken", "image/png"),
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
    }
    response = staff_client.post(reverse("admin:films_person_add"), data)
    assert response.status_code == 200
    assert not Person.objects.exists()
    assert "headshot" in response.context["adminform"].form.errors


def test_releasing_a_film_whose_credits_carry_a_status_asks_to_clear_them(staff_client):
    sequel = make_sequel(title="Sequel", slug="sequel")
    credit = make_credit(film=sequel, status=ReturnStatus.CONFIRMED)
    data = film_form(title="Sequel", slug="sequel", sequel_to=str(sequel.sequel_to_id))
    data |= {
        "credits-TOTAL_FORMS": "1",
        "credits-INITIAL_FORMS": "1",
        "credits-0-id": str(credit.pk),
        "credits-0-film": str(sequel.pk),
        "credits-0-billing": "1",
        "credits-0-department": "cast",
        "credits-0-person": str(credit.person_id),
        "credits-0-character": str(credit.character_id),
        "credits-0-job": "",
        "credits-0-status": ReturnStatus.CONFIRMED,
        "credits-0-reported_on": "",
        "credits-0-source_post": "",
    }
    response = staff_client.post(reverse("admin:films_film_change", args=[sequel.pk]), data)
    assertContains(response, "a status is only for films not yet released")
    sequel.refresh_from_db()
    assert sequel.status == FilmStatus.IN_DEVELOPMENT


def test_released_film_page_has_no_status_columns(staff_client):
    film = make_film()
    make_credit(film=film)
    response = staff_client.get(reverse("admin:films_film_change", args=[film.pk]))
    assert "credits-0-person" in response.content.decode()
    assert "credits-0-status" not in response.content.decode()


def test_unreleased_film_page_has_status_columns(staff_client):
    sequel = make_sequel()
    make_credit(film=sequel, status=ReturnStatus.RUMOURED)
    response = staff_client.get(reverse("admin:films_film_change", args=[sequel.pk]))
    assert "credits-0-status" in response.content.decode()
