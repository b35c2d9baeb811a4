import io

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import User

pytestmark = pytest.mark.django_db

DEMO_MODELS = [
    "films.Film",
    "films.Person",
    "films.Character",
    "films.Credit",
    "films.CreditStatusChange",
    "films.ProductionEvent",
    "news.Post",
    "news.Source",
    "comments.Thread",
    "comments.Comment",
    "accounts.User",
]


def row_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in DEMO_MODELS}


def test_seed_demo_twice_duplicates_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    first = row_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert row_counts() == first
    assert all(first.values()), first


def run_create_local_admin() -> str:
    out = io.StringIO()
    call_command("create_local_admin", stdout=out)
    return out.getvalue()


sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the local admin is only ever made on SQLite"
)


@sqlite_only
def test_local_admin_is_created_once_with_a_verified_email(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("PORT", "8014")
    output = run_create_local_admin()
    assert "http://127.0.0.1:8014/admin/" in output
    password = output.split("Password:")[1].split()[0]
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    assert EmailAddress.objects.get(user=admin).verified


@sqlite_only
def test_local_admin_password_is_printed_only_the_first_time(settings):
    settings.DEBUG = True
    run_create_local_admin()
    second = run_create_local_admin()
    assert "Password:" not in second
    assert User.objects.filter(username="admin").count() == 1


def test_local_admin_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DJANGO_DEBUG on"):
        run_create_local_admin()
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.skipif(connection.vendor == "sqlite", reason="checks the refusal off SQLite")
def test_local_admin_is_refused_off_sqlite(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="SQLite"):
        run_create_local_admin()
