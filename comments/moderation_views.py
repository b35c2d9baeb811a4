"""What moderators do on the site: remove a comment, lock a discussion, work through reports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from comments import services
from comments.models import Comment, Flag, Thread
from comments.permissions import moderators_only, safe_next
from comments.sections import comment_partial

FLAGS_PER_PAGE = 30


@moderators_only
@require_POST
def comment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    services.comment_remove(comment=comment, moderator=request.user)
    if request.htmx:
        return comment_partial(request, comment)
    messages.success(request, "The comment is removed.")
    return redirect(safe_next(request, comment.get_absolute_url()))


@moderators_only
@require_POST
def thread_lock(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread, pk=pk)
    locked = request.POST.get("locked") == "1"
    services.thread_lock(thread=thread, locked=locked)
    messages.success(request, "The discussion is locked." if locked else "It is open again.")
    return redirect(thread.get_page_url())


@moderators_only
@require_safe
def moderation(request: HttpRequest) -> HttpResponse:
    flags = Flag.objects.select_related(
        "comment__author", "comment__thread", "reporter", "resolved_by"
    ).order_by("resolved_at", "-created_at")
    if request.GET.get("show") != "all":
        flags = flags.filter(resolved_at__isnull=True)
    page_obj = Paginator(flags, FLAGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "comments/moderation.html", {"page_obj": page_obj})


@moderators_only
@require_POST
def flag_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(Flag.objects.select_related("comment"), pk=pk)
    remove = request.POST.get("action") == "remove"
    services.flag_resolve(flag=flag, moderator=request.user, remove_comment=remove)
    messages.success(request, "Comment removed, report resolved." if remove else "Resolved.")
    return redirect("comments:moderation")
