"""The admin site: Django's, with the news first on the index and in the sidebar for editors."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest

EDITORS_GROUP = "Editors"  # made by news/migrations/0003_editors_group.py


def writes_news(user) -> bool:
    """An editor: in the Editors group, or holding news permissions of their own. A superuser
    holds every permission without being given any, which says nothing about their job, so
    only the group makes one an editor."""
    if user.groups.filter(name=EDITORS_GROUP).exists():
        return True
    return not user.is_superuser and user.has_module_perms("news")


class FansiteAdminSite(admin.AdminSite):
    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        apps = super().get_app_list(request, app_label)
        if app_label is None and writes_news(request.user):
            # sorted() is stable: the others keep their alphabetical order after News.
            apps = sorted(apps, key=lambda app: app["app_label"] != "news")
        return apps


class FansiteAdminConfig(AdminConfig):
    """django.contrib.admin, in INSTALLED_APPS, with the site above as admin.site."""

    default_site = "fansite.admin_site.FansiteAdminSite"
