"""Discussion pages and actions. Every action works as a plain form post with a redirect; htmx
requests get a template partial of the thread page instead ("comments/thread.html#comment")."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.utils import ErrorList
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from comments import services
from comments.forms import CommentForm, FlagForm, ThreadForm
from comments.markdown import render_comment
from comments.models import Comment, CommentSort, Flag, Notification, Thread
from comments.pages import clean_sort, comment_subtree, page_number_of
from comments.permissions import can_change, can_moderate, can_post
from comments.ratelimit import is_limited, limit_message
from comments.sections import comment_section
from comments.structured_data import thread_json_ld
from comments.tasks import user_id_from_unsubscribe_token
from films.models import Character, Film, Person

THREAD_TEMPLATE = "comments/thread.html"
FORM_PAGE_TEMPLATE = "comments/comment_form_page.html"
THREADS_PER_PAGE = 25
QUOTE_MAX_LENGTH = 2000
SUBJECT_MODELS = {"film": Film, "person": Person, "character": Character}


# Access ---------------------------------------------------------------------------------------


def _denied(request: HttpRequest, reason: str) -> HttpResponse:
    """A 403 page saying how to get in; signing in leads back to the page the visitor was on."""
    referer = request.headers.get("referer", "")
    back = referer if _is_local(request, referer) else reverse("comments:index")
    context = {"reason": reason, "next": back}
    response = render(request, "comments/denied.html", context, status=403)
    if request.htmx:  # htmx does not swap a 403: send the browser where it can sort this out.
        if reason == "anonymous":
            response["HX-Redirect"] = f"{reverse('account_login')}?{urlencode({'next': back})}"
        else:
            response["HX-Redirect"] = reverse("account_email")
    return response


def sign_in_required(view: Callable) -> Callable:
    """Anonymous GETs go to the sign-in page; anonymous POSTs are refused with a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            if request.method == "GET":
                return redirect_to_login(request.get_full_path())
            return _denied(request, "anonymous")
        return view(request, *args, **kwargs)

    return wrapper


def posting_allowed(view: Callable) -> Callable:
    """Signed in with a verified email address."""

    @sign_in_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_post(request.user):
            return _denied(request, "unverified")
        return view(request, *args, **kwargs)

    return wrapper


def moderators_only(view: Callable) -> Callable:
    @sign_in_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_moderate(request.user):
            raise PermissionDenied("Only moderators can do this.")
        return view(request, *args, **kwargs)

    return wrapper


def _is_local(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if _is_local(request, target) else fallback


def _comments(request: HttpRequest):
    """Comments the visitor may see: a draft or scheduled post's thread is 404 but to those who
    may see unpublished posts."""
    return Comment.objects.in_threads_visible_to(request.user)


# Rendering helpers ----------------------------------------------------------------------------


def _thread_context(request: HttpRequest, thread: Thread) -> dict:
    section, page_number = comment_section(request, thread)
    return {
        "thread": thread,
        "comment_section": section,
        "page_number": page_number,
        **_permissions(request),
    }


def _permissions(request: HttpRequest) -> dict:
    return {
        "can_post": can_post(request.user),
        "can_moderate": can_moderate(request.user),
        "max_depth": settings.COMMENTS_MAX_DEPTH,
        "sorts": CommentSort.choices,
    }


def _render_comment(
    request: HttpRequest,
    comment: Comment,
    *,
    is_new: bool = False,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """The comment with its replies as the thread page's partial, and the thread's new count
    swapped in out of band."""
    node = comment_subtree(comment=comment, user=request.user)
    context = {"comment": node, "thread": node.thread, "is_new": is_new, **_permissions(request)}
    response = render(request, f"{THREAD_TEMPLATE}#comment", context)
    oob = {"thread": node.thread, "oob": True}
    response.write(render_to_string(f"{THREAD_TEMPLATE}#comment_count", oob, request))
    if is_new:  # Commenting follows the thread.
        follow = oob | {"following": True}
        response.write(render_to_string(f"{THREAD_TEMPLATE}#follow", follow, request))
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _form_invalid(
    request: HttpRequest,
    form: CommentForm,
    *,
    thread: Thread,
    mode: str,
    comment: Comment | None = None,
    status: int = 400,
) -> HttpResponse:
    """Show the form again with its messages and the text as typed: nothing is lost."""
    context = {"form": form, "thread": thread, "comment": comment, "mode": mode}
    if request.htmx:
        context |= _permissions(request)
        response = render(request, f"{THREAD_TEMPLATE}#{mode}_form", context)
        # htmx swaps only 2xx answers; the form replaces itself in place.
        response["HX-Retarget"] = f"#{_form_id(mode, thread=thread, comment=comment)}"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, FORM_PAGE_TEMPLATE, context, status=status)


def _comment_form(mode: str, *, comment: Comment | None = None, **kwargs) -> CommentForm:
    """Field ids differ per form, since a page may hold several (the main one, a reply)."""
    if mode == "comment":
        return CommentForm(**kwargs)
    return CommentForm(auto_id=f"id_{mode}{comment.pk}_%s", **kwargs)


def _form_id(mode: str, *, thread: Thread, comment: Comment | None) -> str:
    if mode == "comment":
        return f"comment-form-{thread.pk}"
    return f"{mode}-form-{comment.pk}"


def _preview_refusal(request: HttpRequest) -> str | None:
    """The rate-limit message when the writer has previewed too often, or None. A preview renders
    Markdown, so it counts against a limit of its own, more generous than posting's. Call it
    only for a valid form (nothing over the length limit is rendered) of a writer with a
    verified email address."""
    if is_limited(request.user, "preview"):
        return limit_message("preview")
    return None


def _preview(
    request: HttpRequest, form: CommentForm, *, thread: Thread, mode: str, comment=None
) -> HttpResponse:
    if not can_post(request.user):  # Editing needs no verified address; previewing does.
        return _denied(request, "unverified")
    if refusal := _preview_refusal(request):
        form.add_error(None, refusal)
        return _form_invalid(request, form, thread=thread, mode=mode, comment=comment, status=429)
    context = {
        "form": form,
        "thread": thread,
        "comment": comment,
        "mode": mode,
        "preview_html": render_comment(form.cleaned_data["body"]).html,
    }
    return render(request, FORM_PAGE_TEMPLATE, context)


def _quote(comment: Comment, selection: str = "") -> str:
    """The comment (or the part of it the reader selected) as a Markdown quote."""
    text = selection.strip()[:QUOTE_MAX_LENGTH] or comment.body
    quoted = "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
    name = f"@{comment.author.username} " if comment.author else ""
    return f"{quoted}\n\n{name}"


# Reading ---------------------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(Thread.objects.public().for_index(), THREADS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"page_obj": page_obj, "can_moderate": can_moderate(request.user)}
    return render(request, "comments/index.html", context)


@require_safe
def thread_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.visible_to(request.user).for_detail(), pk=pk)
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    if thread.post_id:
        return redirect(thread.get_page_url() + query)
    if slug != thread.slug:
        return redirect(thread.get_absolute_url() + query, permanent=True)
    first = thread.comments.roots().order_by("created_at", "pk").first()
    context = _thread_context(request, thread) | {"json_ld": thread_json_ld(thread, first)}
    return render(request, THREAD_TEMPLATE, context)


@require_safe
def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """Redirects to the page of the thread that shows the comment, scrolled to it."""
    comment = get_object_or_404(_comments(request).select_related("thread__post", "root"), pk=pk)
    if request.htmx:  # "Cancel" on an edit form: the comment as it is.
        return _render_comment(request, comment)
    sort = clean_sort(request.GET.get("sort"))
    query = {}
    if sort != CommentSort.OLDEST:
        query["sort"] = sort
    page = page_number_of(comment, sort)
    if page > 1:
        query["page"] = page
    url = comment.thread.get_page_url()
    if query:
        url += f"?{urlencode(query)}"
    return redirect(f"{url}#comment-{comment.pk}")


# Posting ---------------------------------------------------------------------------------------


@posting_allowed
@require_http_methods(["GET", "POST"])
def thread_new(
    request: HttpRequest, kind: str | None = None, slug: str | None = None
) -> HttpResponse:
    subject = None
    if kind is not None:
        if kind not in SUBJECT_MODELS:
            raise Http404("No such kind of discussion.")
        subject = get_object_or_404(SUBJECT_MODELS[kind], slug=slug)
    form = ThreadForm(request.POST or None)
    context = {"form": form, "subject": subject, "kind": kind}
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            if refusal := _preview_refusal(request):
                form.add_error(None, refusal)
                return render(request, "comments/thread_form.html", context, status=429)
            context["preview_html"] = render_comment(form.cleaned_data["body"]).html
            return render(request, "comments/thread_form.html", context)
        if is_limited(request.user, "post"):
            form.add_error(None, limit_message("post"))
            return render(request, "comments/thread_form.html", context, status=429)
        about = {kind: subject} if subject is not None else {}
        try:
            thread = services.thread_start(
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                **about,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your discussion has started. You will hear of replies.")
            return redirect(thread)
    status = 400 if form.is_bound else 200
    return render(request, "comments/thread_form.html", context, status=status)


def _save_comment(
    request: HttpRequest, form: CommentForm, *, thread: Thread, parent: Comment | None
) -> HttpResponse:
    mode = "reply" if parent else "comment"
    if not form.is_valid():
        return _form_invalid(request, form, thread=thread, mode=mode, comment=parent)
    if "preview" in request.POST:
        return _preview(request, form, thread=thread, mode=mode, comment=parent)
    if thread.locked:
        form.add_error(None, "This discussion is locked: it takes no new comments.")
        return _form_invalid(request, form, thread=thread, mode=mode, comment=parent, status=403)
    if is_limited(request.user, "post"):
        form.add_error(None, limit_message("post"))
        return _form_invalid(request, form, thread=thread, mode=mode, comment=parent, status=429)
    try:
        comment = services.comment_create(
            thread=thread, author=request.user, body=form.cleaned_data["body"], parent=parent
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _form_invalid(request, form, thread=thread, mode=mode, comment=parent)
    if request.htmx:
        if parent is None:
            newest_first = clean_sort(request.POST.get("sort")) == CommentSort.NEWEST
            target, swap = f"#comments-{thread.pk}", "afterbegin" if newest_first else "beforeend"
        else:
            target, swap = f"#replies-{comment.parent_id}", "beforeend"
        return _render_comment(
            request,
            comment,
            is_new=True,
            headers={
                "HX-Retarget": target,
                "HX-Reswap": swap,
                "HX-Trigger-After-Settle": "commentPosted",
            },
        )
    messages.success(request, "Your comment is posted.")
    return redirect(comment)


@posting_allowed
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.visible_to(request.user), pk=pk)
    form = _comment_form("comment", data=request.POST)
    return _save_comment(request, form, thread=thread, parent=None)


@posting_allowed
@require_http_methods(["GET", "POST"])
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_object_or_404(_comments(request).select_related("thread", "author"), pk=pk)
    thread = parent.thread
    if request.method == "POST":
        form = _comment_form("reply", comment=parent, data=request.POST)
        return _save_comment(request, form, thread=thread, parent=parent)
    quote = request.GET.get("quote") and parent.is_visible
    initial = {"body": _quote(parent, request.GET.get("selection", ""))} if quote else None
    form = _comment_form("reply", comment=parent, initial=initial)
    context = {"form": form, "thread": thread, "comment": parent, "mode": "reply"}
    if request.htmx:
        return render(request, f"{THREAD_TEMPLATE}#reply_form", context | _permissions(request))
    return render(request, FORM_PAGE_TEMPLATE, context)


@require_POST
@posting_allowed
def preview(request: HttpRequest) -> HttpResponse:
    """The htmx preview under a comment form: only a valid body is rendered."""
    form = CommentForm(request.POST)
    if not form.is_valid():
        context, status = {"preview_errors": form.errors["body"]}, 400
    elif refusal := _preview_refusal(request):
        context, status = {"preview_errors": ErrorList([refusal])}, 429
    else:
        context, status = {"preview_html": render_comment(form.cleaned_data["body"]).html}, 200
    if request.htmx:  # htmx swaps only 2xx answers, and the writer must read the message.
        status = 200
    return render(request, f"{THREAD_TEMPLATE}#preview", context, status=status)


# Changing your own comments ---------------------------------------------------------------------


def _own_comment(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(_comments(request).select_related("thread", "author"), pk=pk)
    if not can_change(request.user, comment):
        raise PermissionDenied("Only its author can change a comment.")
    return comment


@sign_in_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    thread = comment.thread
    form = _comment_form(
        "edit", comment=comment, data=request.POST or None, initial={"body": comment.body}
    )
    if request.method == "POST":
        if not form.is_valid():
            return _form_invalid(request, form, thread=thread, mode="edit", comment=comment)
        if "preview" in request.POST:
            return _preview(request, form, thread=thread, mode="edit", comment=comment)
        try:
            services.comment_edit(comment=comment, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
            return _form_invalid(request, form, thread=thread, mode="edit", comment=comment)
        if request.htmx:
            return _render_comment(request, comment)
        messages.success(request, "Your comment is updated.")
        return redirect(comment)
    context = {"form": form, "thread": thread, "comment": comment, "mode": "edit"}
    if request.htmx:
        return render(request, f"{THREAD_TEMPLATE}#edit_form", context | _permissions(request))
    return render(request, FORM_PAGE_TEMPLATE, context)


@sign_in_required
@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    if request.method == "POST":
        services.comment_delete(comment=comment)
        if request.htmx:
            return _render_comment(request, comment)
        messages.success(request, "Your comment is deleted. Replies to it stay in place.")
        return redirect(comment)
    return render(request, "comments/comment_confirm_delete.html", {"comment": comment})


@posting_allowed
@require_POST
def comment_like(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(_comments(request), pk=pk)
    try:
        liked = services.reaction_toggle(comment=comment, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(comment)
    if request.htmx:
        comment.refresh_from_db(fields=["like_count"])
        comment.liked = liked
        return render(request, f"{THREAD_TEMPLATE}#like", {"comment": comment, "can_post": True})
    return redirect(_safe_next(request, comment.get_absolute_url()))


@posting_allowed
@require_http_methods(["GET", "POST"])
def comment_flag(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(_comments(request).select_related("thread", "author"), pk=pk)
    if not comment.is_visible:  # Deleted or removed: nothing left to report, nothing to show.
        raise Http404("This comment is no longer there.")
    if comment.author_id == request.user.pk:
        raise PermissionDenied("You cannot report your own comment.")
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if is_limited(request.user, "flag"):
            form.add_error(None, limit_message("flag"))
            status = 429
        elif form.is_valid():
            services.flag_create(
                comment=comment,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, "Thank you: the moderators will look at this comment.")
            return redirect(comment)
        else:
            status = 400
    return render(
        request, "comments/flag_form.html", {"form": form, "comment": comment}, status=status
    )


@sign_in_required
@require_POST
def thread_follow(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.visible_to(request.user), pk=pk)
    following = services.subscription_toggle(thread=thread, user=request.user)
    if request.htmx:
        return render(
            request, f"{THREAD_TEMPLATE}#follow", {"thread": thread, "following": following}
        )
    if following:
        messages.success(request, "You follow this discussion: new comments will notify you.")
    else:
        messages.success(request, "You no longer follow this discussion.")
    return redirect(_safe_next(request, thread.get_page_url()))


# Moderation -----------------------------------------------------------------------------------


@moderators_only
@require_POST
def comment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    services.comment_remove(comment=comment, moderator=request.user)
    if request.htmx:
        return _render_comment(request, comment)
    messages.success(request, "The comment is removed.")
    return redirect(_safe_next(request, comment.get_absolute_url()))


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
    page_obj = Paginator(flags, 30).get_page(request.GET.get("page"))
    return render(request, "comments/moderation.html", {"page_obj": page_obj})


@moderators_only
@require_POST
def flag_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(Flag.objects.select_related("comment"), pk=pk)
    remove = request.POST.get("action") == "remove"
    services.flag_resolve(flag=flag, moderator=request.user, remove_comment=remove)
    messages.success(request, "Comment removed, report resolved." if remove else "Resolved.")
    return redirect("comments:moderation")


# Notifications and email -----------------------------------------------------------------------


@login_required
@require_safe
def notifications(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.for_recipient(request.user).current().for_list()
    page_obj = Paginator(mine, 30).get_page(request.GET.get("page"))
    return render(request, "comments/notifications.html", {"page_obj": page_obj})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=request.user)
    messages.success(request, "All notifications are marked as read.")
    return redirect("comments:notifications")


@login_required
@require_safe
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.for_recipient(request.user), pk=pk)
    services.notifications_mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect(reverse("comments:permalink", args=[notification.comment_id]))


@require_safe
def notification_badge(request: HttpRequest) -> HttpResponse:
    """The header's unread count, refreshed by htmx now and then."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    return render(request, "includes/_header_notifications.html")


@csrf_exempt  # Mail clients' one-click POST carries no CSRF token; the signed token is the key.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """From an email link, no sign-in needed: GET asks, POST (or one-click) switches off."""
    user_id = user_id_from_unsubscribe_token(token)
    user = get_object_or_404(User, pk=user_id) if user_id else None
    if user is None:
        raise Http404("This unsubscribe link is not valid.")
    done = False
    if request.method == "POST":
        User.objects.filter(pk=user.pk).update(email_notifications=False)
        done = True
    return render(request, "comments/unsubscribe.html", {"shown_user": user, "done": done})
