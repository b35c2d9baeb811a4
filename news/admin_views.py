"""The post form's endpoints in the admin, called by static/news/admin/editor.js: the live
preview of the body (with the links it would suggest) and dismissing a suggestion for good.

They answer JSON, refusals included (403 with a message, not the admin's login redirect: the
form's script shows the message in place). The form works without them: the body is rendered
at save, and the "Suggested links" checkboxes appear after the first save.
"""

from django.contrib.admin import ModelAdmin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from films.models import Character, Film, Person
from news.models import Post, entities_to_link, render_post_body, suggestion_key
from news.services import is_suggestion_key, post_dismiss_suggestions

# A body longer than any article (the seed article is about 4,000 characters); rendering is
# bounded by length (news.markdown), and this bounds what one keystroke pause may cost.
MAX_PREVIEW_CHARS = 100_000
MAX_KEYS = 500
RELATED_FIELDS = {"films": Film, "people": Person, "characters": Character}


class BadPreview(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _refusal(request: HttpRequest, model_admin: ModelAdmin, post: Post | None = None):
    """A 403 answer unless the user is active staff who may write this post (or posts)."""
    if not model_admin.admin_site.has_permission(request):
        return JsonResponse({"error": "Sign in to the admin to preview posts."}, status=403)
    if post is not None:
        allowed = model_admin.has_change_permission(request, post)
    else:
        allowed = model_admin.has_add_permission(request) or model_admin.has_change_permission(
            request
        )
    if not allowed:
        return JsonResponse({"error": "You may not write news posts."}, status=403)
    return None


def _ids(request: HttpRequest, field: str) -> set[int]:
    values = request.POST.getlist(field)
    if len(values) > MAX_KEYS:
        raise BadPreview(f"Too many {field} chosen to preview.")
    try:
        return {int(value) for value in values if value}
    except ValueError:
        raise BadPreview(f"The {field} chosen are not valid.") from None


def _keys(request: HttpRequest, field: str) -> set[str]:
    keys = request.POST.get(field, "").split()
    if len(keys) > MAX_KEYS or not all(map(is_suggestion_key, keys)):
        raise BadPreview(f"The {field.replace('_', ' ')} list is not valid.")
    return set(keys)


@require_POST
@never_cache
@csrf_protect
def post_preview(request: HttpRequest, *, model_admin: ModelAdmin) -> JsonResponse:
    """The body as the public page would show it with the related items chosen in the form,
    and what the body names that is not related: {"html": ..., "suggestions": [...]}.

    Posted: body; films, people and characters (ids, as the form's selects hold them);
    dismissed (space-separated "person:12" keys, the post's and the ones dismissed since);
    was_related (keys the form held at some point: one named in the body and no longer
    chosen comes back marked "removed").
    """
    if refusal := _refusal(request, model_admin):
        return refusal
    body = request.POST.get("body", "")
    try:
        if len(body) > MAX_PREVIEW_CHARS:
            raise BadPreview(
                f"The body is too long to preview (over {MAX_PREVIEW_CHARS:,} characters).", 413
            )
        chosen = {model: _ids(request, field) for field, model in RELATED_FIELDS.items()}
        dismissed, was_related = _keys(request, "dismissed"), _keys(request, "was_related")
    except BadPreview as error:
        return JsonResponse({"error": str(error)}, status=error.status)
    entities = entities_to_link(
        films=Film.objects.filter(pk__in=chosen[Film]),
        people=Person.objects.filter(pk__in=chosen[Person]),
    )
    draft = Post(body=body, dismissed_suggestions=sorted(dismissed))
    field_of = {model: field for field, model in RELATED_FIELDS.items()}
    suggestions = [
        {
            "key": suggestion_key(entity),
            "field": field_of[type(entity)],
            "value": str(entity.pk),
            "text": str(entity),
            "kind": str(entity._meta.verbose_name),
            "removed": suggestion_key(entity) in was_related,
        }
        for entity in draft.unrelated_mentions(related=chosen)
    ]
    return JsonResponse({"html": render_post_body(body, entities), "suggestions": suggestions})


@require_POST
@never_cache
@csrf_protect
def post_dismiss_suggestion(
    request: HttpRequest, object_id: str, *, model_admin: ModelAdmin
) -> JsonResponse:
    """Dismiss a suggested link ("key": "person:12") for a saved post, for good."""
    if not model_admin.admin_site.has_permission(request):
        return _refusal(request, model_admin)
    post = model_admin.get_object(request, object_id)
    if post is None:
        return JsonResponse({"error": "That post no longer exists."}, status=404)
    if refusal := _refusal(request, model_admin, post):
        return refusal
    try:
        dismissed = post_dismiss_suggestions(post=post, keys=[request.POST.get("key", "")])
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"dismissed": dismissed})
