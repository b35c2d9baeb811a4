"""Who may do what in the discussions, and the decorators that keep views to them."""

import functools
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import Exists, OuterRef, Q, Value
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from accounts.models import Suspension
from comments.models import Comment


def has_verified_email(user) -> bool:
    if not user.is_authenticated:
        return False
    load_standing(user)
    if not hasattr(user, "_comments_verified"):  # The account was gone when asked.
        user._comments_verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    return user._comments_verified


def is_verified_member(user) -> bool:
    """Signed in, active, with a verified email address: the way in to posting."""
    return user.is_authenticated and user.is_active and has_verified_email(user)


def suspension_of(user):
    """The suspension in force for this user now (accounts.Suspension), or None. It ends by
    itself when its time is up. The one check every write makes: the views' decorators
    (`posting_allowed`, `writing_allowed`) and the services both ask it."""
    if not user.is_authenticated:
        return None
    load_standing(user)  # Reads the suspension itself only for a member who has one.
    return user.active_suspension()


def can_post(user) -> bool:
    """A verified member who is not suspended: may post, reply, like and report."""
    return is_verified_member(user) and suspension_of(user) is None


def can_moderate(user) -> bool:
    """Holds the moderate_comment permission, directly or through a group (the Moderators),
    or is an active superuser, as ModelBackend.has_perm says, in one query rather than its two
    (every permission of the user, then of their groups), cached on the user for the request."""
    if not user.is_authenticated or not user.is_active:
        return False
    load_standing(user)
    if not hasattr(user, "_comments_moderator"):  # The account was gone when asked.
        user._comments_moderator = user.is_superuser or _moderate_permission(user.pk).exists()
    return user._comments_moderator


def _moderate_permission(user_id):
    return Permission.objects.filter(
        Q(user=user_id) | Q(group__user=user_id),
        content_type__app_label="comments",
        codename="moderate_comment",
    )


def can_change(user, comment) -> bool:
    """Only the author edits or deletes a comment, and only while it is visible."""
    return user.is_authenticated and comment.author_id == user.pk and comment.is_visible


def is_new_member(user) -> bool:
    """Whether the member is still new: their account is younger than NEW_MEMBER_HOURS or they
    have fewer than NEW_MEMBER_MIN_COMMENTS visible comments. New members post less often,
    without links or images, and their reports do not hide a comment. Moderators and staff
    are never new. At most one COUNT (and the permission look-up for those who would be new),
    cached on the user for the request."""
    if not user.is_authenticated:
        return True
    load_standing(user)
    if not hasattr(user, "_comments_new_member"):  # The account was gone when asked.
        user._comments_new_member = _is_new(user) and not (user.is_staff or can_moderate(user))
    return user._comments_new_member


def _is_new(user, *, enough_comments: bool | None = None) -> bool:
    joined_before = timezone.now() - timedelta(hours=settings.NEW_MEMBER_HOURS)
    if user.date_joined > joined_before:
        return True
    needed = settings.NEW_MEMBER_MIN_COMMENTS
    if needed <= 0:
        return False
    if enough_comments is not None:  # Asked already (load_standing).
        return not enough_comments
    return _visible_comments(user.pk)[:needed].count() < needed


def _visible_comments(author_id):
    return Comment.objects.filter(author_id=author_id).visible()


def load_standing(user) -> None:
    """Ask the database once for what the checks above want of a signed-in member (a verified
    address, a suspension in force, the moderate permission, comments enough to be no longer
    new) and keep it on the user for the request, where each check looks first: a write's
    decorator, form, rate limit, service and answer cost one query between them, not four. A
    suspended member's suspension is still read by active_suspension(), when asked."""
    if not user.is_authenticated or hasattr(user, "_comments_standing"):
        return
    alias = router.db_for_read(get_user_model())
    sql, params, member_at, now_at = _standing_query(alias, settings.NEW_MEMBER_MIN_COMMENTS)
    params = list(params)
    for index in member_at:
        params[index] = user.pk
    now = connections[alias].ops.adapt_datetimefield_value(timezone.now())
    for index in now_at:
        params[index] = now
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    user._comments_standing = True
    if row is None:  # The account is gone: the checks ask for themselves.
        return
    verified, suspended, moderator, enough = map(bool, row)  # SQLite answers 0 and 1.
    user._comments_verified = verified
    user._comments_moderator = user.is_superuser or moderator
    if not suspended:
        user._active_suspension = None  # What accounts.User.active_suspension() keeps.
    user._comments_new_member = _is_new(user, enough_comments=enough) and not (
        user.is_staff or user._comments_moderator
    )


# What stands for the member and the time in the compiled standing query.
_ANY_MEMBER = -14
_ANY_TIME = datetime(2000, 1, 1, tzinfo=UTC)


@functools.cache
def _standing_query(alias: str, needed: int) -> tuple[str, tuple, list[int], list[int]]:
    """The standing query's SQL and parameters, compiled once per process, with where the
    member's id and the time go among the parameters: building it costs the ORM about 3 ms of
    Python, a quarter of a member's thread page, and running it 0.1 ms."""
    member = OuterRef("pk")
    queryset = (
        get_user_model()
        ._default_manager.filter(pk=_ANY_MEMBER)
        .annotate(
            verified=Exists(EmailAddress.objects.filter(user=member, verified=True)),
            suspended=Exists(Suspension.objects.active(_ANY_TIME).filter(user=member)),
            moderator=Exists(_moderate_permission(member)),
            enough=Exists(_visible_comments(member).order_by()[needed - 1 : needed])
            if needed > 0
            else Value(True),
        )
        .order_by()
        .values_list("verified", "suspended", "moderator", "enough")
    )
    sql, params = queryset.query.get_compiler(using=alias).as_sql()
    time = connections[alias].ops.adapt_datetimefield_value(_ANY_TIME)
    member_at = [index for index, value in enumerate(params) if value == _ANY_MEMBER]
    now_at = [index for index, value in enumerate(params) if value in (time, _ANY_TIME)]
    return sql, tuple(params), member_at, now_at


# Views' access decorators -------------------------------------------------------------------


def _is_local(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` the form carried when it points to this site, or `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if _is_local(request, target) else fallback


# Refusals the 403 page (comments/denied.html) explains, with the way in.
EXPLAINED_REASONS = {"anonymous", "unverified"}
# What a suspended member wrote, which the refusal shows again so nothing is lost.
KEPT_FIELDS = ("title", "body", "note")
# The comment forms' ids (comments.forms.CommentFormMode), whose preview slot takes a refusal.
COMMENT_FORM_ID = re.compile(r"(?:comment|reply|edit)-form-[\w-]+")


def _back(request: HttpRequest) -> str:
    referer = request.headers.get("referer", "")
    return referer if _is_local(request, referer) else reverse("comments:index")


def denied(request: HttpRequest, reason: str) -> HttpResponse:
    """A 403 page saying how to get in; signing in leads back to the page the visitor was on."""
    back = _back(request)
    context = {"reason": reason, "next": back}
    response = render(request, "comments/denied.html", context, status=403)
    if request.htmx:  # htmx does not swap a 403: send the browser where it can sort this out.
        if reason == "anonymous":
            response["HX-Redirect"] = f"{reverse('account_login')}?{urlencode({'next': back})}"
        else:
            response["HX-Redirect"] = reverse("account_email")
    return response


SUSPENDED_TEMPLATE = "comments/suspended.html"


def suspended(request: HttpRequest, suspension) -> HttpResponse:
    """The answer to a suspended member's attempt to write: why, and until when.

    Without JavaScript, a 403 page that shows again what they wrote (in a form sending it
    back, for when the suspension is over). An htmx request gets the message swapped in where
    the member is looking (htmx swaps 2xx answers, base.html), leaving their form as it is:
    into the preview slot of the comment form that sent it, else just before the element the
    request targets.
    """
    context = {"suspension": suspension}
    if request.htmx:
        response = render(request, f"{SUSPENDED_TEMPLATE}#notice", context)
        trigger = request.htmx.trigger or ""
        if COMMENT_FORM_ID.fullmatch(trigger):
            response["HX-Retarget"] = f"#preview-{trigger}"
            response["HX-Reswap"] = "innerHTML"
        elif not (request.htmx.target or "").startswith("preview-"):
            response["HX-Reswap"] = "beforebegin"
        return response
    kept = [(name, request.POST[name]) for name in KEPT_FIELDS if request.POST.get(name)]
    hidden = [
        (name, value)
        for name, value in request.POST.items()
        if name not in {*KEPT_FIELDS, "csrfmiddlewaretoken", "preview"}
    ]
    context |= {"kept": kept, "hidden": hidden, "back": _back(request)}
    return render(request, SUSPENDED_TEMPLATE, context, status=403)


def access_required(check: Callable, reason: str, *, writes: bool = False) -> Callable:
    """A view decorator letting in those for whom `check(user)` holds. Anonymous GETs go to the
    sign-in page and anonymous POSTs get a 403; a signed-in visitor who fails the check gets a
    403: the page explaining `reason` when it is one of EXPLAINED_REASONS, else a plain one.
    With writes=True a suspended member gets the page saying so (`suspended`), whatever the
    method: the form of a write is as closed to them as the write."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                if request.method == "GET":
                    return redirect_to_login(request.get_full_path())
                return denied(request, "anonymous")
            if writes:
                load_standing(user)
            if not check(user):
                if reason in EXPLAINED_REASONS:
                    return denied(request, reason)
                raise PermissionDenied(reason)
            if writes and (suspension := suspension_of(user)) is not None:
                return suspended(request, suspension)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


sign_in_required = access_required(lambda user: True, "anonymous")
# Post, reply, like, report, start a discussion: verified and not suspended.
posting_allowed = access_required(is_verified_member, "unverified", writes=True)
# Edit or delete one's own comment: no verified address needed, but not while suspended.
writing_allowed = access_required(lambda user: True, "anonymous", writes=True)
moderators_only = access_required(can_moderate, "Only moderators can do this.")


def suspension_until(suspension) -> str:
    """ "until 11 December 2026, 14:00", or "until a moderator lifts it"."""
    if suspension.ends_at is None:
        return "until a moderator lifts it"
    return f"until {date_format(timezone.localtime(suspension.ends_at), 'j F Y, H:i')}"


def suspension_message(suspension) -> str:
    """What the services answer a suspended member's write with (the pages say it too)."""
    return (
        f"Your account is suspended {suspension_until(suspension)}, so you cannot post, reply, "
        f"edit, like or report. The moderators' reason: {suspension.reason}"
    )
