"""Images leave storage when their row stops pointing at them, and only then."""

from pathlib import Path

import pytest
from django.db import transaction

from tests.factories import make_film, make_upload, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def stored_path(field_file) -> Path:
    return Path(field_file.path)


def test_a_replaced_avatar_file_is_deleted():
    fan = make_user()
    fan.avatar = make_upload("first.png")
    fan.save()
    first = stored_path(fan.avatar)
    fan.avatar = make_upload("second.png")
    fan.save()
    assert not first.exists()
    assert stored_path(fan.avatar).exists()


def test_a_cleared_poster_file_is_deleted():
    film = make_film(poster=make_upload("poster.png"))
    poster = stored_path(film.poster)
    film.poster = ""
    film.save()
    assert not poster.exists()


def test_deleting_a_row_deletes_its_image():
    fan = make_user(avatar=make_upload("me.png"))
    avatar = stored_path(fan.avatar)
    fan.delete()
    assert not avatar.exists()


def test_a_rolled_back_replacement_keeps_the_old_file():
    fan = make_user(avatar=make_upload("keep.png"))
    kept = stored_path(fan.avatar)
    with pytest.raises(RuntimeError), transaction.atomic():
        fan.avatar = make_upload("other.png")
        fan.save()
        raise RuntimeError("the request failed")
    assert kept.exists()


def test_saving_other_fields_keeps_the_image():
    fan = make_user(avatar=make_upload("stay.png"))
    avatar = stored_path(fan.avatar)
    fan.bio = "Still here."
    fan.save()
    fan.save(update_fields=["last_login"])
    assert avatar.exists()
