import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def test_editors_reach_the_film_and_news_admin(client, editor):
    for name in ("admin:films_film_add", "admin:films_person_add", "admin:news_post_add"):
        assert client.get(reverse(name)).status_code == 200


def test_editors_preview_drafts(client, editor):
    draft = make_post(published=False)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_editors_do_not_manage_users_or_discussions(client, editor):
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:comments_comment_changelist")).status_code == 403
