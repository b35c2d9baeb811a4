"""What a member hears about: following a discussion, their notifications, and the unsubscribe
link in notification emails."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from accounts.services import user_unsubscribe
from comments import services
from comments.emails import email_choices_set
from comments.following_forms import EMAIL_LABELS
from comments.models import Notification, NotificationKind, Thread
from comments.permissions import safe_next, sign_in_required
from comments.ratelimit import is_limited, limit_message, rate_limited
from comments.sections import THREAD_TEMPLATE, thread_of_post
from comments.unsubscribe import read_unsubscribe_token
from news.models import Post

NOTIFICATIONS_PER_PAGE = 30


# Following ------------------------------------------------------------------------------------


def _toggle_follow(request: HttpRequest, thread: Thread) -> HttpResponse:
    if is_limited(request.user, "follow"):
        refusal = limit_message("follow")
        if request.htmx:
            following = (
                thread.pk is not None and thread.subscriptions.filter(user=request.user).exists()
            )
            context = {"thread": thread, "following": following, "refusal": refusal}
            return render(request, f"{THREAD_TEMPLATE}#follow", context, status=429)
        return rate_limited(request, refusal, back=thread.get_page_url())
    following = services.subscription_toggle(thread=thread, user=request.user)
    if thread.pk is None:  # A post's thread, made by this follow.
        thread = Thread.objects.select_related("post").get(post=thread.post)
    if request.htmx:
        context = {"thread": thread, "following": following}
        return render(request, f"{THREAD_TEMPLATE}#follow", context)
    if following:
        messages.success(request, "You follow this discussion: new comments will notify you.")
    else:
        messages.success(request, "You no longer follow this discussion.")
    return redirect(safe_next(request, thread.get_page_url()))


@sign_in_required
@require_POST
def thread_follow(request: HttpRequest, pk: int) -> HttpResponse:
    return _toggle_follow(
        request, get_object_or_404(Thread.objects.visible_to(request.user), pk=pk)
    )


@sign_in_required
@require_POST
def post_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a news post's comments, whose thread is made now if nobody has written yet."""
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    return _toggle_follow(request, thread_of_post(post))


@login_required
@require_safe
def notifications(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.for_recipient(request.user).current().for_list()
    # The film each discussion gives away, for the titles kept from members who have not seen it.
    mine = mine.select_related("thread__spoilers_for", "comment__thread__spoilers_for")
    page_obj = Paginator(mine, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "comments/notifications.html", {"page_obj": page_obj})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=request.user)
    messages.success(request, "All notifications are marked as read.")
    return redirect("comments:notifications")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Go to what a notification is about: the comment, post, discussion or tracker. Opening
    it (the list's buttons POST) marks it read; a GET, from an old link or a prefetching
    browser, only goes there."""
    mine = Notification.objects.for_recipient(request.user).for_list()
    notification = get_object_or_404(mine, pk=pk)
    if request.method == "POST":
        services.notifications_mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect(notification.get_target_url())


@require_safe
def notification_badge(request: HttpRequest) -> HttpResponse:
    """The header's unread count, refreshed by htmx now and then."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    return render(request, "includes/_header_notifications.html")


@csrf_exempt  # Mail clients' one-click POST carries no CSRF token; the signed token is the key.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """From an email link, no sign-in needed: GET asks, POST (or one-click) switches off the
    kind of email the link names, or every email for a link naming no kind."""
    asked = read_unsubscribe_token(token)
    if asked is None or (asked.kind is not None and asked.kind not in NotificationKind.values):
        raise Http404("This unsubscribe link is not valid.")
    user = get_object_or_404(User, pk=asked.user_id)
    done = request.method == "POST"
    if done:
        if asked.kind is None:
            user_unsubscribe(user=user)
        else:
            email_choices_set(user=user, wanted={asked.kind: False})
    context = {
        "shown_user": user,
        "done": done,
        "kind": asked.kind,
        "kind_label": EMAIL_LABELS.get(asked.kind, ""),
    }
    return render(request, "comments/unsubscribe.html", context)
