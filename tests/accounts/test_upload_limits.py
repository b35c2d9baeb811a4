"""Uploads are capped before they are read: by the request's size, then by the file's."""

import pytest
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains

from accounts.models import User
from tests.factories import make_upload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def test_a_request_body_over_the_limit_is_refused_unread(user_client):
    """The body here is one byte: had Django tried to read the 60 MB announced, it would fail
    on the short stream. It answers 413 before looking at the body."""
    response = user_client.post(
        reverse("accounts:profile-edit"),
        data=b"x",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(60 * MB),
    )
    assert response.status_code == 413
    message = "This upload is 60.0\xa0MB; the limit is 12.0\xa0MB"  # filesizeformat's nbsp
    assertContains(response, message, status_code=413)
    assertContains(response, "<h1>That upload is too large</h1>", status_code=413)


def test_a_request_body_within_the_limit_reaches_the_view(user_client, user):
    response = user_client.post(
        reverse("accounts:profile-edit"), {"display_name": "Romy", "avatar": make_upload()}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar


def test_an_avatar_over_the_image_limit_is_a_form_error_without_pillow(
    user_client, user, settings, monkeypatch
):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    upload = make_upload("me.png", size=(400, 400))
    assert upload.size > 1000

    def never(*args, **kwargs):
        raise AssertionError("Pillow opened an over-limit upload")

    monkeypatch.setattr(Image, "open", never)
    response = user_client.post(reverse("accounts:profile-edit"), {"avatar": upload})
    assertContains(response, "images may be at most 1000\xa0bytes")
    assert not User.objects.get(pk=user.pk).avatar


def test_an_avatar_with_a_255_character_name_is_saved(user_client, user):
    upload = make_upload("r" * 251 + ".png")
    response = user_client.post(reverse("accounts:profile-edit"), {"avatar": upload})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.endswith(".png")
    assert len(user.avatar.name) <= User._meta.get_field("avatar").max_length
