from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts.forms import ProfileForm
from accounts.models import User


@require_safe
def profile(request: HttpRequest, username: str) -> HttpResponse:
    shown = get_object_or_404(User.objects.filter(is_active=True), username=username)
    return render(request, "accounts/profile.html", {"shown_user": shown})


# What others see of a member, which a suspended member may not change (their email
# preferences stay theirs).
PUBLIC_PROFILE_FIELDS = ("display_name", "avatar", "bio")


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, request.FILES or None, instance=user)
    suspension = user.active_suspension()
    context = {"form": form, "suspension": suspension}
    if request.method == "POST" and form.is_valid():
        if suspension is not None and set(PUBLIC_PROFILE_FIELDS) & set(form.changed_data):
            # The form has written the new values onto the user: the page shows the stored ones.
            user.refresh_from_db(fields=PUBLIC_PROFILE_FIELDS)
            form.add_error(
                None,
                "While your account is suspended you cannot change your display name, avatar "
                "or bio. What you typed is kept below.",
            )
            return render(request, "accounts/profile_edit.html", context, status=403)
        form.save()
        messages.success(request, "Your profile has been saved.")
        return redirect(user)
    return render(request, "accounts/profile_edit.html", context)
