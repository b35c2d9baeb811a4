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


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile has been saved.")
        return redirect(request.user)
    return render(request, "accounts/profile_edit.html", {"form": form})
