"""Following films, people and characters: the Follow button's answer, the Following page and
its email choices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from comments import following
from comments.emails import email_choices_of, email_choices_set
from comments.following_forms import EmailChoicesForm
from comments.models import Follow, Subscription, Thread
from comments.permissions import safe_next, sign_in_required
from comments.ratelimit import is_limited, limit_message, rate_limited
from films.models import Character, Film, Person

SUBJECT_MODELS = {"film": Film, "person": Person, "character": Character}
FOLLOW_BUTTON_TEMPLATE = "comments/_follow_button.html"


def follow_button_context(request: HttpRequest, subject, *, next_url: str = "", **extra) -> dict:
    """What the Follow button shows: whether the member follows the subject and how many do.
    Two queries (one for a visitor not signed in)."""
    return {
        "subject": subject,
        "kind": following.subject_field(subject),
        "following": following.is_following(request.user, subject),
        "followers": following.followers_count(subject),
        "next_url": next_url or request.get_full_path(),
        "request": request,
        "user": request.user,
        **extra,
    }


@sign_in_required
@require_POST
def subject_follow(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """Follow a film, person or character, or stop: the form says which (`following` 1 or
    0), so a resent form does no harm; without it, the opposite of now."""
    model = SUBJECT_MODELS.get(kind)
    if model is None:
        raise Http404("Only films, people and characters can be followed.")
    subject = get_object_or_404(model, slug=slug)
    back = safe_next(request, subject.get_absolute_url())
    if is_limited(request.user, "follow"):
        refusal = limit_message("follow")
        if request.htmx:
            context = follow_button_context(request, subject, next_url=back, refusal=refusal)
            return render(request, FOLLOW_BUTTON_TEMPLATE, context, status=429)
        return rate_limited(request, refusal, back=back)
    wanted = request.POST.get("following")
    if wanted in {"0", "1"}:
        now_following = following.follow_set(
            user=request.user, subject=subject, following=wanted == "1"
        )
    else:
        now_following = following.follow_toggle(user=request.user, subject=subject)
    if request.htmx:
        return render(
            request, FOLLOW_BUTTON_TEMPLATE, follow_button_context(request, subject, next_url=back)
        )
    if now_following:
        messages.success(
            request,
            f"You follow {subject}: news, new discussions and who-is-returning changes will "
            "notify you.",
        )
    else:
        messages.success(request, f"You no longer follow {subject}.")
    return redirect(back)


@login_required
@require_safe
def following_page(request: HttpRequest) -> HttpResponse:
    """Everything the member follows, each with its unfollow button, and the email choices.
    A fixed number of queries however many they follow."""
    user = request.user
    groups: dict[str, list] = {"film": [], "person": [], "character": []}
    for follow in Follow.objects.filter(user=user).for_list():
        groups[following.subject_field(follow.subject)].append(follow.subject)
    threads = (
        Subscription.objects.filter(user=user, thread__in=Thread.objects.visible_to(user))
        .select_related("thread__post", "thread__film", "thread__person", "thread__character")
        .order_by("-created_at", "-pk")
    )
    headings = {"film": "Films", "person": "People", "character": "Characters"}
    context = {
        "followed": [(kind, headings[kind], found) for kind, found in groups.items() if found],
        "subscriptions": list(threads),
        "form": EmailChoicesForm(initial=email_choices_of(user)),
    }
    return render(request, "comments/following.html", context)


@login_required
@require_POST
def email_choices(request: HttpRequest) -> HttpResponse:
    form = EmailChoicesForm(request.POST)
    if form.is_valid():
        email_choices_set(user=request.user, wanted=form.wanted)
        messages.success(request, "Your email choices are saved.")
    else:  # Boxes cannot be invalid; a hand-made request is told so.
        messages.error(request, "Those choices could not be read: tick the boxes and save again.")
    return redirect(reverse("comments:following") + "#email")
