"""Who may do what in the discussions, and the decorators that keep views to them."""

from collections.abc import Callable
from functools import wraps

from allauth.account.models import EmailAddress
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def has_verified_email(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_comments_verified"):
        user._comments_verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    return user._comments_verified


def can_post(user) -> bool:
    """Signed in, active, with a verified email address."""
    return user.is_authenticated and user.is_active and has_verified_email(user)


def can_moderate(user) -> bool:
    return user.is_authenticated and user.has_perm("comments.moderate_comment")


def can_change(user, comment) -> bool:
    """Only the author edits or deletes a comment, and only while it is visible."""
    return user.is_authenticated and comment.author_id == user.pk and comment.is_visible


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


def denied(request: HttpRequest, reason: str) -> HttpResponse:
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


def access_required(check: Callable, reason: str) -> Callable:
    """A view decorator letting in those for whom `check(user)` holds. Anonymous GETs go to the
    sign-in page and anonymous POSTs get a 403; a signed-in visitor who fails the check gets a
    403: the page explaining `reason` when it is one of EXPLAINED_REASONS, else a plain one."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                if request.method == "GET":
                    return redirect_to_login(request.get_full_path())
                return denied(request, "anonymous")
            if not check(user):
                if reason in EXPLAINED_REASONS:
                    return denied(request, reason)
                raise PermissionDenied(reason)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


sign_in_required = access_required(lambda user: True, "anonymous")
posting_allowed = access_required(can_post, "unverified")
moderators_only = access_required(can_moderate, "Only moderators can do this.")
