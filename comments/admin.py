from django.contrib import admin, messages
from django.db.models import F, QuerySet
from django.http import HttpRequest

from comments import services
from comments.models import Comment, CommentStatus, Flag, Notification, Subscription, Thread


def _is_moderator(request: HttpRequest) -> bool:
    return request.user.has_perm("comments.moderate_comment")


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = [
        "title", "subject_label", "comment_count", "last_activity_at", "locked", "pinned",
    ]  # fmt: skip
    list_filter = ["locked", "pinned", "last_activity_at"]
    search_fields = ["title"]
    list_select_related = ["film", "person", "character", "post"]
    raw_id_fields = ["starter", "last_commenter", "film", "person", "character", "post"]
    readonly_fields = ["comment_count", "last_activity_at", "last_commenter", "created_at"]
    actions = ["lock", "unlock", "pin", "unpin"]
    date_hierarchy = "last_activity_at"

    @admin.display(description="about")
    def subject_label(self, thread: Thread) -> str:
        return str(thread.subject or "general")

    @admin.action(description="Lock the selected discussions", permissions=["moderate"])
    def lock(self, request: HttpRequest, queryset: QuerySet) -> None:
        threads = list(queryset)
        for thread in threads:
            services.thread_lock(thread=thread, locked=True)
        self.message_user(request, f"{len(threads)} discussion(s) locked.", messages.SUCCESS)

    @admin.action(description="Unlock the selected discussions", permissions=["moderate"])
    def unlock(self, request: HttpRequest, queryset: QuerySet) -> None:
        threads = list(queryset)
        for thread in threads:
            services.thread_lock(thread=thread, locked=False)
        self.message_user(request, f"{len(threads)} discussion(s) unlocked.", messages.SUCCESS)

    @admin.action(description="Pin the selected discussions", permissions=["moderate"])
    def pin(self, request: HttpRequest, queryset: QuerySet) -> None:
        threads = list(queryset)
        for thread in threads:
            services.thread_pin(thread=thread, pinned=True)
        self.message_user(request, f"{len(threads)} discussion(s) pinned.", messages.SUCCESS)

    @admin.action(description="Unpin the selected discussions", permissions=["moderate"])
    def unpin(self, request: HttpRequest, queryset: QuerySet) -> None:
        threads = list(queryset)
        for thread in threads:
            services.thread_pin(thread=thread, pinned=False)
        self.message_user(request, f"{len(threads)} discussion(s) unpinned.", messages.SUCCESS)

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
    list_display = ["__str__", "thread", "author", "status", "like_count", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["body", "author__username", "thread__title"]
    list_select_related = ["thread", "author"]
    raw_id_fields = ["thread", "author", "parent", "root"]
    # User text is changed only by its author; moderators remove or restore it.
    readonly_fields = [
        "thread", "author", "parent", "root", "depth", "body", "status", "created_at",
        "edited_at", "like_count", "reply_count",
    ]  # fmt: skip
    actions = ["remove", "restore"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        # Deleting would take the replies with it and leave the thread's counters wrong:
        # moderators remove (and restore) instead. A whole thread may still be deleted.
        return False

    @admin.action(description="Remove the selected comments", permissions=["moderate"])
    def remove(self, request: HttpRequest, queryset: QuerySet) -> None:
        for comment in queryset.filter(status=CommentStatus.VISIBLE):
            services.comment_remove(comment=comment, moderator=request.user)
        self.message_user(request, "The comments are removed.", messages.SUCCESS)

    @admin.action(description="Restore the selected comments", permissions=["moderate"])
    def restore(self, request: HttpRequest, queryset: QuerySet) -> None:
        for comment in queryset.exclude(status=CommentStatus.VISIBLE):
            services.comment_restore(comment=comment)
        self.message_user(request, "The comments are visible again.", messages.SUCCESS)

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

    @admin.action(description="Resolve: keep the comments", permissions=["moderate"])
    def resolve(self, request: HttpRequest, queryset: QuerySet) -> None:
        for flag in queryset.filter(resolved_at__isnull=True):
            services.flag_resolve(flag=flag, moderator=request.user)
        self.message_user(request, "The reports are resolved.", messages.SUCCESS)

    @admin.action(description="Resolve: remove the comments", permissions=["moderate"])
    def remove_comment(self, request: HttpRequest, queryset: QuerySet) -> None:
        for flag in queryset.select_related("comment"):
            services.flag_resolve(flag=flag, moderator=request.user, remove_comment=True)
        self.message_user(request, "The comments are removed.", messages.SUCCESS)

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
