from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from accounts.models import Suspension, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Profile", {"fields": ["display_name", "avatar", "bio", "email_notifications"]}),
    ]
    list_display = ["username", "email", "display_name", "is_staff", "date_joined"]
    search_fields = ["username", "email", "display_name"]


@admin.register(Suspension)
class SuspensionAdmin(admin.ModelAdmin):
    """Suspensions, to look through: made and lifted on the site by moderators (Moderation ›
    Members), where each one is written in the audit log with its reason."""

    list_display = ["user", "starts_at", "ends_at", "lifted_at", "moderator", "reason"]
    list_filter = ["starts_at", "lifted_at"]
    list_select_related = ["user", "moderator"]
    search_fields = ["user__username", "user__display_name", "reason", "moderator__username"]
    date_hierarchy = "starts_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
