"""The admin for discussions. Moderation here goes through comments.moderation like the site's:
each action asks for a reason on an intermediate page and writes its row in the audit log,
which the admin shows read-only (ModerationAction: nobody adds, changes or deletes a row)."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from comments import moderation, services, spoilers
from comments.models import (
    Comment,
    CommentStatus,
    Flag,
    ModerationAction,
    Notification,
    Subscription,
    Thread,
)
from comments.moderation_forms import ReasonForm


def _is_moderator(request: HttpRequest) -> bool:
    return request.user.has_perm("comments.moderate_comment")


def _with_reason(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    objects: list,
    *,
    title: str,
    act: Callable,
    done: str,
) -> TemplateResponse | None:
    """An admin action that asks for the reason first: the intermediate page, then
    `act(obj, reason)` for each object. Objects a service refuses (already in that state) are
    counted and skipped, not fatal."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]
        acted = skipped = 0
        for obj in objects:
            try:
                act(obj, reason)
            except ValidationError:
                skipped += 1
            else:
                acted += 1
        message = f"{acted} {done}."
        if skipped:
            message += f" {skipped} skipped: nothing to change."
        modeladmin.message_user(request, message, messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "objects": objects,
        "opts": modeladmin.model._meta,
        "action": request.POST.get("action", ""),
        "select_across": request.POST.get("select_across", "0"),
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "comments/moderation_admin_reason.html", context)


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = [
        "title", "subject_label", "spoilers_for", "comment_count", "last_activity_at", "locked",
        "pinned",
    ]  # fmt: skip
    list_filter = ["locked", "pinned", "spoilers_for", "last_activity_at"]
    search_fields = ["title"]
    list_select_related = ["film", "person", "character", "post", "spoilers_for"]
    raw_id_fields = ["starter", "last_commenter", "film", "person", "character", "post"]
    # Locking and pinning are moderator actions, with a reason on record: the list's actions.
    readonly_fields = [
        "comment_count", "last_activity_at", "last_commenter", "created_at", "locked", "pinned",
    ]  # fmt: skip
    actions = ["lock", "unlock", "pin", "unpin"]
    date_hierarchy = "last_activity_at"

    @admin.display(description="about")
    def subject_label(self, thread: Thread) -> str:
        return str(thread.subject or "general")

    def _lock(self, request: HttpRequest, queryset: QuerySet, *, locked: bool):
        return _with_reason(
            self,
            request,
            list(queryset),
            title="Lock discussions" if locked else "Unlock discussions",
            act=lambda thread, reason: moderation.thread_lock(
                thread=thread, moderator=request.user, reason=reason, locked=locked
            ),
            done="discussion(s) locked" if locked else "discussion(s) unlocked",
        )

    def _pin(self, request: HttpRequest, queryset: QuerySet, *, pinned: bool):
        return _with_reason(
            self,
            request,
            list(queryset),
            title="Pin discussions" if pinned else "Unpin discussions",
            act=lambda thread, reason: moderation.thread_pin(
                thread=thread, moderator=request.user, reason=reason, pinned=pinned
            ),
            done="discussion(s) pinned" if pinned else "discussion(s) unpinned",
        )

    @admin.action(description="Lock the selected discussions (asks why)", permissions=["moderate"])
    def lock(self, request: HttpRequest, queryset: QuerySet):
        return self._lock(request, queryset, locked=True)

    @admin.action(
        description="Unlock the selected discussions (asks why)", permissions=["moderate"]
    )
    def unlock(self, request: HttpRequest, queryset: QuerySet):
        return self._lock(request, queryset, locked=False)

    @admin.action(description="Pin the selected discussions (asks why)", permissions=["moderate"])
    def pin(self, request: HttpRequest, queryset: QuerySet):
        return self._pin(request, queryset, pinned=True)

    @admin.action(description="Unpin the selected discussions (asks why)", permissions=["moderate"])
    def unpin(self, request: HttpRequest, queryset: QuerySet):
        return self._pin(request, queryset, pinned=False)

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return _is_moderator(request)

    def save_model(self, request: HttpRequest, obj: Thread, form, change: bool) -> None:
        services.thread_update(thread=obj)

    def get_deleted_objects(self, objs, request: HttpRequest):
        # A thread's comments go with it, counters and all; CommentAdmin refuses deleting one
        # comment on its own, which must not stop deleting the whole thread.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(Comment._meta.verbose_name)
        return deleted, counts, perms_needed, protected


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "__str__", "thread", "author", "status", "spoilers_for", "like_count", "created_at",
    ]  # fmt: skip
    list_filter = ["status", "spoilers_for", "created_at"]
    search_fields = ["body", "author__username", "thread__title"]
    list_select_related = ["thread", "author", "spoilers_for"]
    raw_id_fields = ["thread", "author", "parent", "root"]
    # User text is changed only by its author; moderators remove or restore it, and may correct
    # which film it gives away (its one editable field).
    readonly_fields = [
        "thread", "author", "parent", "root", "depth", "body", "status", "created_at",
        "edited_at", "like_count", "reply_count",
    ]  # fmt: skip
    actions = ["remove", "restore"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Comment, form, change: bool) -> None:
        spoilers.comment_spoilers_set(comment=obj, film=obj.spoilers_for)

    def has_delete_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        # Deleting would take the replies with it and leave the thread's counters wrong:
        # moderators remove (and restore) instead. A whole thread may still be deleted.
        return False

    @admin.action(description="Remove the selected comments (asks why)", permissions=["moderate"])
    def remove(self, request: HttpRequest, queryset: QuerySet):
        return _with_reason(
            self,
            request,
            list(queryset.exclude(status__in=[CommentStatus.REMOVED, CommentStatus.DELETED])),
            title="Remove comments",
            act=lambda comment, reason: moderation.comment_remove(
                comment=comment, moderator=request.user, reason=reason
            ),
            done="comment(s) removed",
        )

    @admin.action(description="Restore the selected comments (asks why)", permissions=["moderate"])
    def restore(self, request: HttpRequest, queryset: QuerySet):
        return _with_reason(
            self,
            request,
            list(queryset.filter(status__in=[CommentStatus.REMOVED, CommentStatus.HIDDEN])),
            title="Restore comments",
            act=lambda comment, reason: moderation.comment_restore(
                comment=comment, moderator=request.user, reason=reason
            ),
            done="comment(s) visible again",
        )

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return _is_moderator(request)


class OpenFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("resolved", "Resolved")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    """The moderation queue: open reports first."""

    list_display = ["__str__", "comment_excerpt", "reporter", "created_at", "resolved_at"]
    list_filter = [OpenFilter, "reason"]
    list_select_related = ["comment", "reporter"]
    search_fields = ["note", "comment__body", "reporter__username"]
    raw_id_fields = ["comment", "reporter", "resolved_by"]
    readonly_fields = ["comment", "reporter", "reason", "note", "created_at"]
    actions = ["resolve", "remove_comment"]

    def get_ordering(self, request):
        # NULLs (open reports) first on every database.
        return [F("resolved_at").desc(nulls_first=True), "-created_at"]

    @admin.display(description="comment")
    def comment_excerpt(self, flag: Flag) -> str:
        return flag.comment.body[:80]

    def _reported_comments(self, queryset: QuerySet) -> list[Comment]:
        """The comments of the selected open reports, once each: a decision is per comment,
        and closes all its open reports."""
        open_flags = queryset.filter(resolved_at__isnull=True)
        return list(Comment.objects.filter(pk__in=open_flags.values("comment_id")))

    @admin.action(
        description="Dismiss the reports: keep the comments (asks why)", permissions=["moderate"]
    )
    def resolve(self, request: HttpRequest, queryset: QuerySet):
        return _with_reason(
            self,
            request,
            self._reported_comments(queryset),
            title="Dismiss reports",
            act=lambda comment, reason: moderation.flags_dismiss(
                comment=comment, moderator=request.user, reason=reason
            ),
            done="comment(s) kept, their reports dismissed",
        )

    @admin.action(
        description="Uphold the reports: remove the comments (asks why)", permissions=["moderate"]
    )
    def remove_comment(self, request: HttpRequest, queryset: QuerySet):
        return _with_reason(
            self,
            request,
            self._reported_comments(queryset),
            title="Uphold reports",
            act=lambda comment, reason: moderation.flags_uphold(
                comment=comment, moderator=request.user, reason=reason
            ),
            done="comment(s) removed, their reports upheld",
        )

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return _is_moderator(request)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "thread", "created_at"]
    list_select_related = ["user", "thread"]
    raw_id_fields = ["user", "thread"]
    search_fields = ["user__username", "thread__title"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "comment", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient", "comment"]
    raw_id_fields = ["recipient", "comment", "actor"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The audit log, read-only for everyone (superusers included): rows are written by
    comments.moderation and the automatic hide, and never edited or deleted."""

    list_display = ["created_at", "moderator", "action", "target", "member", "reason"]
    list_filter = ["action", "created_at"]
    list_select_related = ["moderator", "member"]
    search_fields = ["target", "reason", "moderator__username", "member__username"]
    date_hierarchy = "created_at"

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return _is_moderator(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
