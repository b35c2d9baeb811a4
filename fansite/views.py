import logging

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from accounts import services as account_services
from accounts.absolute_urls import absolute_url
from accounts.forms import DeleteAccountForm
from accounts.member_data import member_account_data
from comments.member_data import member_comments_data, member_comments_erase
from comments.permissions import safe_next
from fansite.search import MIN_QUERY_LENGTH, search_everything
from fansite.theme import SYSTEM, THEME_COOKIE, THEME_COOKIE_MAX_AGE, THEMES

logger = logging.getLogger(__name__)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Whatever `q` holds (nothing, punctuation, 10,000 characters), a page that says what was
    found or how to find more; never an error."""
    results = search_everything(request.GET.get("q", ""))
    context = {
        "search_query": results.query.text,
        "results": results,
        "min_length": MIN_QUERY_LENGTH,
    }
    return render(request, "search.html", context)


# No CSRF token: the toggle sits on every page, and anonymous pages are cached and shared, so
# they cannot carry one (fansite.page_cache). A forged switch only changes the colours the
# visitor sees, which they see at once and switch back; nothing is stored but the cookie.
@csrf_exempt
@require_http_methods(["POST"])
def theme(request: HttpRequest) -> HttpResponse:
    """Remember the colour theme (fansite.theme): light, dark, or follow the system."""
    choice = request.POST.get("theme", "")
    if choice not in (*THEMES, SYSTEM):
        return render(request, "400.html", status=400)
    # The small script in site.js switches without a reload and needs no page back.
    response = (
        HttpResponse(status=204)
        if request.headers.get("X-Theme-Switch")
        else redirect(safe_next(request, reverse("home")))
    )
    if choice == SYSTEM:
        response.delete_cookie(THEME_COOKIE, samesite="Lax")
    else:
        response.set_cookie(
            THEME_COOKIE,
            choice,
            max_age=THEME_COOKIE_MAX_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages without an icon link (the admin's)."""
    return redirect(static("img/favicon.svg"), permanent=True)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        f"Sitemap: {absolute_url(reverse('sitemap'), request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@login_required
@require_safe
def account_export(request: HttpRequest) -> JsonResponse:
    """Everything the site holds about the member, as one JSON file to download."""
    user = request.user
    data = {
        "exported_at": timezone.now().isoformat(),
        "site": absolute_url("/", request),
        **member_account_data(user, request),
        **member_comments_data(user, request),
    }
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="fansite-{user.username}.json"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Behind re-authentication. The comments stay, shown as by a deleted user, unless the
    member asks for their text to be erased too (in the same transaction as the deletion)."""
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        with transaction.atomic():
            if form.cleaned_data["erase_comments"]:
                member_comments_erase(user=user)
            account_services.account_delete(user=user)
        messages.success(request, "Your account has been deleted. Thank you for being here.")
        return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form})
