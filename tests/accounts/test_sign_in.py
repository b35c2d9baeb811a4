"""allauth as configured here: verified email first, codes by email, the admin behind it."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD, make_staff, make_user

pytestmark = pytest.mark.django_db


def emailed_code(mailoutbox) -> str:
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6})\s*$", mailoutbox[-1].body, re.M)
    assert match, mailoutbox[-1].body
    return match.group(1)


def test_signing_in_with_an_unverified_email_asks_for_the_code_first(client, mailoutbox):
    fan = make_user(verified=False)
    response = client.post(reverse("account_login"), {"login": fan.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert mailoutbox[-1].to == [fan.email]


def test_signing_in_with_email_and_password(client):
    fan = make_user()
    response = client.post(reverse("account_login"), {"login": fan.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(fan.pk)


def test_signing_in_with_an_emailed_code(client, mailoutbox):
    fan = make_user()
    client.post(reverse("account_request_login_code"), {"email": fan.email})
    assert mailoutbox[-1].to == [fan.email]
    response = client.post(
        reverse("account_confirm_login_code"), {"code": emailed_code(mailoutbox)}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(fan.pk)


def test_a_wrong_code_does_not_sign_in(client, mailoutbox):
    fan = make_user()
    client.post(reverse("account_request_login_code"), {"email": fan.email})
    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG-CODE"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_an_email(client, mailoutbox):
    fan = make_user()
    response = client.post(reverse("account_reset_password"), {"email": fan.email})
    assert response.status_code == 302
    assert mailoutbox[-1].to == [fan.email]
    assert "Romy and Michele Fans" in mailoutbox[-1].body


def test_the_admin_sends_visitors_to_the_sites_sign_in_page(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response["Location"], follow=True)
    assert login.request["PATH_INFO"] == reverse("account_login")


def test_signed_in_non_staff_get_403_from_the_admin_login(client, user):
    client.force_login(user)
    assert client.get(reverse("admin:login")).status_code == 403


def test_staff_reach_the_admin(client):
    client.force_login(make_staff())
    assert client.get("/admin/").status_code == 200


def test_allauth_rate_limits_are_on_by_default():
    assert getattr(settings, "ACCOUNT_RATE_LIMITS", None) is not False
