import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.forms import ProfileForm
from accounts.models import User
from tests.factories import PASSWORD, image_bytes, make_upload, make_user

pytestmark = pytest.mark.django_db


def test_profile_page_shows_display_name_and_bio(client):
    fan = make_user(display_name="Heather M.", bio="I invented the rapid-drying glue.")
    response = client.get(reverse("accounts:profile", kwargs={"username": fan.username}))
    assertContains(response, "Heather M.")
    assertContains(response, "rapid-drying glue")
    assertContains(response, f"@{fan.username}")


def test_profile_page_of_unknown_user_is_404(client):
    assert client.get(reverse("accounts:profile", kwargs={"username": "nobody"})).status_code == 404


def test_profile_page_of_inactive_user_is_404(client):
    fan = make_user(is_active=False)
    assert client.get(fan.get_absolute_url()).status_code == 404


def test_profile_page_offers_edit_link_only_to_its_owner(client, user):
    url = user.get_absolute_url()
    assertNotContains(client.get(url), reverse("accounts:profile-edit"))
    client.force_login(user)
    assertContains(client.get(url), reverse("accounts:profile-edit"))


def test_profile_edit_needs_sign_in(client):
    response = client.get(reverse("accounts:profile-edit"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_profile_edit_saves_display_name_bio_and_avatar(user_client, user):
    response = user_client.post(
        reverse("accounts:profile-edit"),
        {
            "display_name": "Romy W.",
            "bio": "Inventor of Post-its (allegedly).",
            "avatar": make_upload("me.png"),
            "email_notifications": "on",
        },
    )
    assertRedirects(response, user.get_absolute_url())
    user.refresh_from_db()
    assert user.display_name == "Romy W."
    assert user.avatar.name.startswith("avatars/")
    assert Image.open(user.avatar.path).format == "PNG"


def test_profile_form_shows_an_error_for_a_file_that_is_not_an_image():
    upload = SimpleUploadedFile("fake.png", b"this is not an image", content_type="image/png")
    form = ProfileForm(data={}, files={"avatar": upload}, instance=User(username="someone"))
    assert not form.is_valid()
    assert "not an image we accept" in form.errors["avatar"][0]


def test_profile_form_shows_an_error_for_a_truncated_image():
    content = image_bytes("JPEG", size=(300, 300))
    upload = SimpleUploadedFile("cut.jpg", content[:200], content_type="image/jpeg")
    form = ProfileForm(data={}, files={"avatar": upload}, instance=User(username="someone"))
    assert not form.is_valid()
    assert "damaged or incomplete" in form.errors["avatar"][0]


def test_bad_avatar_keeps_the_other_fields_in_the_form(user_client, user):
    upload = SimpleUploadedFile("x.gif", image_bytes("GIF"), content_type="image/gif")
    response = user_client.post(
        reverse("accounts:profile-edit"), {"display_name": "Michele", "avatar": upload}
    )
    assert response.status_code == 200
    assertContains(response, "JPEG, PNG, WebP or AVIF")
    assertContains(response, 'value="Michele"')
    user.refresh_from_db()
    assert user.display_name == ""


def test_account_deletion_asks_to_reauthenticate_first(user_client):
    response = user_client.get(reverse("accounts:delete"))
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]


def reauthenticate(client, user) -> None:
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_account_deletion_after_reauthenticating_removes_the_user(client):
    fan = make_user()
    reauthenticate(client, fan)
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assertRedirects(response, reverse("home"))
    assert not User.objects.filter(pk=fan.pk).exists()


def test_account_deletion_needs_the_confirmation_box(client):
    fan = make_user()
    reauthenticate(client, fan)
    response = client.post(reverse("accounts:delete"), {})
    assert response.status_code == 200
    assert User.objects.filter(pk=fan.pk).exists()


def test_display_name_cannot_be_another_members_username():
    make_user(username="glitterpen")
    fan = make_user()
    form = ProfileForm(data={"display_name": "GlitterPen"}, instance=fan)
    assert not form.is_valid()
    assert "Another member goes by that name" in form.errors["display_name"][0]


def test_display_name_cannot_be_another_members_display_name():
    make_user(display_name="Post-it Queen")
    form = ProfileForm(data={"display_name": "post-it queen"}, instance=make_user())
    assert not form.is_valid()


def test_keeping_your_own_display_name_is_fine():
    fan = make_user(display_name="Romy")
    form = ProfileForm(data={"display_name": "Romy", "email_notifications": "on"}, instance=fan)
    assert form.is_valid(), form.errors
