"""What moderators do on the site: the queue of reports, a comment's review, a discussion's
lock, pin and move, a member's suspensions, and the audit log. Every write asks for a reason and
goes through comments.moderation, which logs it; a form with errors is shown again (400) with
the text kept. A member reaches none of these pages (403)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Suspension
from comments import moderation
from comments.models import Comment, CommentStatus, Flag, ModerationAction, Thread
from comments.moderation_forms import (
    AuditLogFilterForm,
    LockForm,
    MemberLookupForm,
    MoveForm,
    PinForm,
    ReasonForm,
    SuspendForm,
)
from comments.permissions import moderators_only, safe_next
from comments.sections import comment_partial

QUEUE_PER_PAGE = 30
LOG_PER_PAGE = 30
MEMBER_LOG_SHOWN = 10


def _service_error(form: Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# Comments -------------------------------------------------------------------------------------

# What a moderator may do to a comment: (action, button label, service, message).
REVIEW_ACTIONS = {
    "restore": (
        "Restore the comment",
        moderation.comment_restore,
        "The comment is visible again.",
    ),
    "dismiss": (
        "Dismiss the reports: keep the comment",
        moderation.flags_dismiss,
        "Reports dismissed: the comment stays.",
    ),
    "uphold": (
        "Uphold the reports: remove the comment",
        moderation.flags_uphold,
        "Reports upheld: the comment is removed.",
    ),
    "remove": ("Remove the comment", moderation.comment_remove, "The comment is removed."),
}


def review_actions(comment: Comment, has_reports: bool) -> list[str]:
    """The actions a comment offers, in the order of its buttons."""
    if comment.status == CommentStatus.HIDDEN:
        return ["restore", "uphold"]
    if has_reports:
        return ["dismiss", "uphold"]
    if comment.status == CommentStatus.REMOVED:
        return ["restore"]
    if comment.status == CommentStatus.VISIBLE:
        return ["remove"]
    return []


def _buttons(actions: list[str]) -> list[tuple[str, str]]:
    return [(action, REVIEW_ACTIONS[action][0]) for action in actions]


def _review_page(
    request: HttpRequest, comment: Comment, form: ReasonForm, *, status: int = 200
) -> HttpResponse:
    flags = list(comment.flags.select_related("reporter", "resolved_by").order_by("-created_at"))
    open_flags = [flag for flag in flags if flag.resolved_at is None]
    context = {
        "comment": comment,
        "flags": flags,
        "open_count": len(open_flags),
        "form": form,
        "buttons": _buttons(review_actions(comment, bool(open_flags))),
        "next": safe_next(request, comment.get_absolute_url()),
    }
    return render(request, "comments/moderation_comment.html", context, status=status)


def _comment_for_review(pk: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("author", "thread__post"), pk=pk)


def _act_on_comment(request: HttpRequest, comment: Comment, action: str | None) -> HttpResponse:
    """Run a review action from a POST with a reason; a POST without a reason field (the thread
    page's button) is asked for one."""
    if "reason" not in request.POST:
        if request.htmx:
            response = HttpResponse(status=200)
            response["HX-Redirect"] = reverse("comments:moderation-comment", args=[comment.pk])
            return response
        return _review_page(request, comment, ReasonForm())
    form = ReasonForm(request.POST)
    if action not in REVIEW_ACTIONS:
        form.is_valid()
        form.add_error(None, "Choose what to do with the comment.")
    elif form.is_valid():
        _, service, message = REVIEW_ACTIONS[action]
        try:
            service(comment=comment, moderator=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _service_error(form, error)
        else:
            if request.htmx and action == "remove":
                return comment_partial(request, comment)
            messages.success(request, message)
            return redirect(safe_next(request, reverse("comments:moderation")))
    comment.refresh_from_db(fields=["status"])
    return _review_page(request, comment, form, status=400)


@moderators_only
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """The queue: reported comments, one entry per comment, hidden ones first."""
    page_obj = Paginator(moderation.review_queue(), QUEUE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for comment in page_obj:
        comment.form = ReasonForm(auto_id=f"id_review_{comment.pk}_%s")
        comment.buttons = _buttons(review_actions(comment, comment.open_reports > 0))
    context = {
        "page_obj": page_obj,
        "here": request.get_full_path(),
        "lookup_form": MemberLookupForm(auto_id="id_lookup_%s"),
    }
    return render(request, "comments/moderation.html", context)


@moderators_only
@require_http_methods(["GET", "HEAD", "POST"])
def comment_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One comment under review: its reports and what may be done, with a reason."""
    comment = _comment_for_review(pk)
    if request.method == "POST":
        return _act_on_comment(request, comment, request.POST.get("action"))
    return _review_page(request, comment, ReasonForm())


@moderators_only
@require_http_methods(["GET", "HEAD", "POST"])
def comment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread page's Remove: asks for the reason, then removes."""
    comment = _comment_for_review(pk)
    if request.method == "POST":
        return _act_on_comment(request, comment, request.POST.get("action", "remove"))
    return redirect("comments:moderation-comment", pk=comment.pk)


@moderators_only
@require_POST
def flag_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """One report's buttons, as the old queue had them: keep (dismiss) or remove (uphold)."""
    flag = get_object_or_404(Flag, pk=pk)
    comment = _comment_for_review(flag.comment_id)
    action = {"resolve": "dismiss", "remove": "uphold"}.get(request.POST.get("action", ""))
    return _act_on_comment(request, comment, action)


# Discussions --------------------------------------------------------------------------------


def _thread_page(
    request: HttpRequest, thread: Thread, *, status: int = 200, **forms
) -> HttpResponse:
    context = {
        "thread": thread,
        "lock_form": LockForm(
            initial={"locked": "0" if thread.locked else "1"}, auto_id="id_lock_%s"
        ),
        "pin_form": PinForm(initial={"pinned": "0" if thread.pinned else "1"}, auto_id="id_pin_%s"),
        "move_form": None if thread.post_id else MoveForm(auto_id="id_move_%s"),
        "log": ModerationAction.objects.for_log().filter(thread=thread)[:MEMBER_LOG_SHOWN],
    }
    context.update(forms)
    return render(request, "comments/moderation_thread.html", context, status=status)


def _thread(pk: int) -> Thread:
    return get_object_or_404(Thread.objects.with_subject(), pk=pk)


@moderators_only
@require_safe
def thread_moderation(request: HttpRequest, pk: int) -> HttpResponse:
    return _thread_page(request, _thread(pk))


def _thread_action(
    request: HttpRequest, pk: int, *, form_class, form_name: str, act, message
) -> HttpResponse:
    thread = _thread(pk)
    if request.method != "POST":
        return redirect("comments:moderation-thread", pk=thread.pk)
    auto_id = f"id_{form_name.removesuffix('_form')}_%s"
    if "reason" not in request.POST:  # The thread page's button: ask for the reason.
        return _thread_page(request, thread)
    form = form_class(request.POST, auto_id=auto_id)
    if form.is_valid():
        try:
            act(thread, form.cleaned_data)
        except ValidationError as error:
            _service_error(form, error)
        else:
            messages.success(request, message(thread))
            return redirect(safe_next(request, thread.get_page_url()))
    thread.refresh_from_db()
    return _thread_page(request, thread, status=400, **{form_name: form})


@moderators_only
@require_http_methods(["GET", "HEAD", "POST"])
def thread_lock(request: HttpRequest, pk: int) -> HttpResponse:
    return _thread_action(
        request,
        pk,
        form_class=LockForm,
        form_name="lock_form",
        act=lambda thread, data: moderation.thread_lock(
            thread=thread, moderator=request.user, reason=data["reason"], locked=data["locked"]
        ),
        message=lambda thread: (
            "The discussion is locked." if thread.locked else "The discussion is open again."
        ),
    )


@moderators_only
@require_http_methods(["GET", "HEAD", "POST"])
def thread_pin(request: HttpRequest, pk: int) -> HttpResponse:
    return _thread_action(
        request,
        pk,
        form_class=PinForm,
        form_name="pin_form",
        act=lambda thread, data: moderation.thread_pin(
            thread=thread, moderator=request.user, reason=data["reason"], pinned=data["pinned"]
        ),
        message=lambda thread: (
            "The discussion is pinned." if thread.pinned else "The discussion is unpinned."
        ),
    )


@moderators_only
@require_http_methods(["GET", "HEAD", "POST"])
def thread_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _thread_action(
        request,
        pk,
        form_class=MoveForm,
        form_name="move_form",
        act=lambda thread, data: moderation.thread_move(
            thread=thread, moderator=request.user, reason=data["reason"], **data["subject"]
        ),
        message=lambda thread: f"The discussion is moved to {thread.subject or 'general'}.",
    )


# Members ------------------------------------------------------------------------------------


def _member_page(
    request: HttpRequest,
    member,
    *,
    status: int = 200,
    suspend_form: SuspendForm | None = None,
    lift_form: ReasonForm | None = None,
    lift_pk: int | None = None,
) -> HttpResponse:
    refusal = moderation.suspension_refusal(moderator=request.user, member=member)
    suspensions = list(
        Suspension.objects.filter(user=member).select_related("moderator", "lifted_by")
    )
    active = set(Suspension.objects.active().filter(user=member).values_list("pk", flat=True))
    for suspension in suspensions:
        suspension.in_force = suspension.pk in active
        if suspension.in_force:
            bound = lift_form if suspension.pk == lift_pk else None
            suspension.lift_form = bound or ReasonForm(auto_id=f"id_lift_{suspension.pk}_%s")
    context = {
        "member": member,
        "is_moderator": moderation.is_moderator(member),
        "refusal": refusal,
        "suspensions": suspensions,
        "suspend_form": None if refusal else (suspend_form or SuspendForm(auto_id="id_suspend_%s")),
        "log": ModerationAction.objects.for_log().filter(member=member)[:MEMBER_LOG_SHOWN],
        "log_url": f"{reverse('comments:audit-log')}?{urlencode({'member': member.username})}",
    }
    return render(request, "comments/moderation_member.html", context, status=status)


def _member(username: str):
    return get_object_or_404(get_user_model(), username=username)


@moderators_only
@require_safe
def members(request: HttpRequest) -> HttpResponse:
    """Find a member by username; the suspensions in force."""
    form = MemberLookupForm(request.GET if "username" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect(
            "comments:moderation-member", username=form.cleaned_data["username"].username
        )
    suspensions = (
        Suspension.objects.active()
        .select_related("user", "moderator")
        .order_by("-starts_at", "-pk")
    )
    page_obj = Paginator(suspensions, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page_obj}
    return render(request, "comments/moderation_members.html", context)


@moderators_only
@require_safe
def member(request: HttpRequest, username: str) -> HttpResponse:
    return _member_page(request, _member(username))


@moderators_only
@require_POST
def member_suspend(request: HttpRequest, username: str) -> HttpResponse:
    member = _member(username)
    refusal = moderation.suspension_refusal(moderator=request.user, member=member)
    if refusal:
        raise PermissionDenied(refusal)
    form = SuspendForm(request.POST, auto_id="id_suspend_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            suspension = moderation.member_suspend(
                member=member, moderator=request.user, reason=data["reason"], days=data["days"]
            )
        except ValidationError as error:
            _service_error(form, error)
        else:
            messages.success(
                request, f"{member.public_name} is suspended {suspension.period_label()}."
            )
            return redirect("comments:moderation-member", username=member.username)
    return _member_page(request, member, status=400, suspend_form=form)


@moderators_only
@require_POST
def suspension_lift(request: HttpRequest, pk: int) -> HttpResponse:
    suspension = get_object_or_404(Suspension.objects.select_related("user"), pk=pk)
    member = suspension.user
    form = ReasonForm(request.POST, auto_id=f"id_lift_{suspension.pk}_%s")
    if form.is_valid():
        try:
            moderation.suspension_lift(
                suspension=suspension, moderator=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _service_error(form, error)
        else:
            messages.success(request, f"{member.public_name}'s suspension is lifted.")
            return redirect("comments:moderation-member", username=member.username)
    return _member_page(request, member, status=400, lift_form=form, lift_pk=suspension.pk)


# The audit log --------------------------------------------------------------------------------


@moderators_only
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every moderator action and automatic hide, newest first, filtered by the GET form."""
    form = AuditLogFilterForm(request.GET or None)
    actions = ModerationAction.objects.for_log()
    if form.is_bound:
        actions = form.filter(actions)
    page_obj = Paginator(actions, LOG_PER_PAGE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {"form": form, "page_obj": page_obj, "extra_query": filters.urlencode()}
    return render(request, "comments/audit_log.html", context)
