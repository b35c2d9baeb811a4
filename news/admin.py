from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin
from sorl.thumbnail import get_thumbnail

from films.models import Film
from news import admin_revisions, admin_views
from news.admin_reports import ProductionEventInline, StatusChangeInline
from news.models import Post, PostStatus, Source, suggestion_key
from news.publishing import publication_state, publish_now_outcome
from news.services import (
    is_suggestion_key,
    post_dismiss_suggestions,
    post_publish_now,
    post_relate,
    post_unpublish,
)


def _mention_label(entity) -> str:
    return f"{entity} ({entity._meta.verbose_name})"


def unrelated_mentions(post: Post) -> list:
    """The post's unrelated mentions, worked out once per request (form and fieldsets ask)."""
    if post is None or post.pk is None:
        return []
    if not hasattr(post, "_unrelated_mentions"):
        post._unrelated_mentions = post.unrelated_mentions()
    return post._unrelated_mentions


class PostAdminForm(forms.ModelForm):
    suggested = forms.MultipleChoiceField(
        label="Mentioned in the body",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Named in the saved body but not related yet. Tick those this post is about.",
    )
    # Suggestions dismissed in the form (editor.js), stored at save: a new post has no row to
    # store them in before that.
    dismissed = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Post
        fields = [
            "title",
            "slug",
            "standfirst",
            "body",
            "status",
            "published_at",
            "author",
            "featured_image",
            "image_alt",
            "image_caption",
            "image_credit",
            "films",
            "people",
            "characters",
        ]
        # editor.css sizes "post-form__wide" for a 100-character headline; editor.js counts
        # characters against maxlength and warns past data-recommended.
        widgets = {
            "title": forms.TextInput(
                attrs={"class": "vTextField post-form__wide", "data-recommended": 100}
            ),
            "slug": forms.TextInput(attrs={"class": "vTextField post-form__wide"}),
            "body": forms.Textarea(attrs={"rows": 24, "class": "vLargeTextField post-form__body"}),
            "standfirst": forms.Textarea(
                attrs={
                    "rows": 3,
                    "class": "vLargeTextField post-form__wide",
                    "data-recommended": 200,
                }
            ),
            "image_alt": forms.TextInput(
                attrs={"class": "vTextField post-form__wide", "data-recommended": 125}
            ),
            "image_caption": forms.TextInput(attrs={"class": "vTextField post-form__wide"}),
            "image_credit": forms.TextInput(attrs={"class": "vTextField post-form__wide"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mentions = unrelated_mentions(self.instance)
        self.mentions = {suggestion_key(entity): entity for entity in mentions}
        self.fields["suggested"].choices = [
            (key, _mention_label(entity)) for key, entity in self.mentions.items()
        ]
        self.fields["dismissed"].initial = " ".join(self.instance.dismissed_suggestions)
        # Where editor.js asks for the live preview and dismisses a saved post's suggestions.
        endpoints = {"data-preview-url": reverse("admin:news_post_preview")}
        if self.instance.pk is not None:
            endpoints["data-dismiss-url"] = reverse(
                "admin:news_post_dismiss_suggestion", args=[self.instance.pk]
            )
        self.fields["body"].widget.attrs.update(endpoints)

    def clean_suggested(self) -> list:
        return [self.mentions[key] for key in self.cleaned_data["suggested"]]

    def clean_dismissed(self) -> list[str]:
        keys = self.cleaned_data["dismissed"].split()
        if not all(map(is_suggestion_key, keys)):
            raise forms.ValidationError("The dismissed suggestions are not valid: reload the page.")
        return keys


def _removed_relations(form: PostAdminForm) -> set[str]:
    """The keys of the films, people and characters the post was related to before this save
    and is no longer."""
    removed = set()
    for field in ("films", "people", "characters"):
        kept = set(form.cleaned_data.get(field, []))
        removed |= {suggestion_key(e) for e in form.initial.get(field, []) if e not in kept}
    return removed


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["outlet", "url", "reported", "order"]
        # Plain inputs sized for a table row (the admin's link widget adds a "Currently:" line).
        widgets = {
            "outlet": forms.TextInput(attrs={"size": 18}),
            "url": forms.URLInput(attrs={"size": 30}),
            "reported": forms.TextInput(attrs={"size": 32}),
            "order": forms.NumberInput(attrs={"class": "vIntegerField"}),
        }


class SourceInline(admin.TabularInline):
    model = Source
    form = SourceForm
    extra = 2


class PublicationFilter(admin.SimpleListFilter):
    title = "visibility"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [("live", "Live"), ("scheduled", "Scheduled"), ("draft", "Draft")]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "live":
                return queryset.published()
            case "scheduled":
                return queryset.filter(status=PostStatus.PUBLISHED, published_at__gt=now)
            case "draft":
                return queryset.filter(status=PostStatus.DRAFT)
        return queryset


@admin.register(Post)
class PostAdmin(VersionAdmin):
    """The editor's desk. VersionAdmin keeps a revision of the post and its sources at every
    save (django-reversion), listed under History with author and time."""

    form = PostAdminForm
    list_display = ["title", "visibility", "published_at", "author", "film_titles"]
    list_filter = [
        PublicationFilter,
        "status",
        "films",
        ("author", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["author"]
    search_fields = ["title", "standfirst", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "films", "people", "characters"]
    readonly_fields = [
        "image_preview",
        "publication",
        "created_at",
        "updated_at",
        "content_updated_at",
    ]
    inlines = [SourceInline, StatusChangeInline, ProductionEventInline]
    actions = ["publish_now", "unpublish"]
    save_on_top = True
    object_history_template = "admin/news/post/object_history.html"

    class Media:
        # One file per job: publishing.js says what saving will do with the dates, editor.js
        # the counters, live preview and suggestions.
        css = {"all": ["news/admin/editor.css"]}
        js = ["news/admin/publishing.js", "news/admin/editor.js"]

    def get_fieldsets(self, request: HttpRequest, obj: Post | None = None):
        fieldsets = [
            (None, {"fields": ["title", "slug", "standfirst", "body", "dismissed"]}),
            (
                "Publishing",
                {
                    "fields": ["status", "published_at", "publication", "author"],
                    "description": "A publication date in the future schedules the post: "
                    "it appears by itself when the time comes.",
                },
            ),
            (
                "Featured image",
                {
                    "fields": [
                        "featured_image",
                        "image_preview",
                        "image_alt",
                        "image_caption",
                        "image_credit",
                    ]
                },
            ),
        ]
        if unrelated_mentions(obj):
            fieldsets.append(
                (
                    "Suggested links",
                    {
                        "fields": ["suggested"],
                        "description": "The first mention of each related film and person "
                        "links to their page.",
                    },
                )
            )
        fieldsets.append(("Related", {"fields": ["films", "people", "characters"]}))
        if obj is not None:
            history = ["created_at", "updated_at", "content_updated_at"]
            fieldsets.append(("History", {"fields": history}))
        return fieldsets

    def get_queryset(self, request: HttpRequest) -> QuerySet[Post]:
        films = Film.objects.only("pk", "title", "release_date").order_by("release_date")
        return super().get_queryset(request).prefetch_related(Prefetch("films", queryset=films))

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description="Visibility", ordering="status")
    def visibility(self, post: Post) -> str:
        if post.is_published():
            return "Live"
        if post.is_scheduled:
            return "Scheduled"
        return "Draft"

    @admin.display(description="Films")
    def film_titles(self, post: Post) -> str:
        return ", ".join(film.title for film in post.films.all()) or "–"

    @admin.display(description="On saving")
    def publication(self, post: Post) -> str:
        # publishing.js rewrites the sentence for the status and date being typed.
        now = timezone.localtime()
        return format_html(
            '<span class="publishing-line" aria-live="polite" data-now="{}" data-written="{}">'
            "{}</span>",
            now.strftime("%Y-%m-%d %H:%M:%S"),
            timezone.localdate(post.created_at or now).isoformat(),
            publication_state(post),
        )

    @admin.display(description="Preview")
    def image_preview(self, post: Post) -> str:
        image = post.featured_image
        # After a failed save the form holds an upload that is not in storage yet.
        if not image or not image.storage.exists(image.name):
            return "The image shows here once the post is saved."
        thumbnail = get_thumbnail(post.featured_image, "480")
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}">',
            thumbnail.url,
            thumbnail.width,
            thumbnail.height,
            post.image_alt,
        )

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        if request.method == "POST" and self.has_change_permission(request):
            admin_revisions.keep_initial_revision(unquote(object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        admin_revisions.require_change_permission(self, request)
        revisions = admin_revisions.history_entries(unquote(object_id))
        context = {"revisions": revisions, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def revision_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):
        admin_revisions.require_change_permission(self, request)
        if request.method == "POST":
            # Read before reversion puts the old revision back: see Post.restored_over.
            request.post_before_restore = Post.objects.filter(pk=unquote(object_id)).first()
        return super().revision_view(request, object_id, version_id, extra_context)

    def save_model(self, request: HttpRequest, obj: Post, form, change: bool) -> None:
        if getattr(request, "post_before_restore", None) is not None:
            obj.restored_over(request.post_before_restore)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        post = form.instance
        # Relating and re-linking after the form's own M2M save, so the body's links follow
        # whatever the editor chose in the related fields too.
        post_relate(post=post, entities=form.cleaned_data.get("suggested", []))
        if dismissed := form.cleaned_data.get("dismissed"):
            post_dismiss_suggestions(post=post, keys=dismissed)
        remaining = post.unrelated_mentions()
        post._unrelated_mentions = remaining
        # A published post lost a link readers had; a draft's removal is only suggested again.
        removed = _removed_relations(form) if post.status == PostStatus.PUBLISHED else set()
        unlinked = [entity for entity in remaining if suggestion_key(entity) in removed]
        if unlinked:
            self.message_user(
                request,
                format_html(
                    "{} no longer related to “{}”, but the body names them, so the article "
                    "lost their link. If that was a mis-click, relate them again under Related.",
                    format_html_join(", ", "{}", ((_mention_label(e),) for e in unlinked)),
                    post,
                ),
                messages.WARNING,
            )
        if remaining := [entity for entity in remaining if entity not in unlinked]:
            names = format_html_join(", ", "{}", ((str(entity),) for entity in remaining))
            self.message_user(
                request,
                format_html(
                    "“{}” names {} without relating them. Confirm them under Suggested links.",
                    post,
                    names,
                ),
                messages.INFO,
            )

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "preview/",
                admin_views.post_preview,
                {"model_admin": self},
                name=f"{info}_preview",
            ),
            path(
                "<path:object_id>/dismiss-suggestion/",
                admin_views.post_dismiss_suggestion,
                {"model_admin": self},
                name=f"{info}_dismiss_suggestion",
            ),
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(admin_revisions.post_compare),
                {"model_admin": self},
                name=f"{info}_compare",
            ),
            *super().get_urls(),
        ]

    def changeform_view(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().changeform_view(request, *args, **kwargs)
        # editor.js previews the chosen featured image from a blob: URL before it is uploaded;
        # only this page's policy allows those.
        policy = settings.SECURE_CSP
        response._csp_config = {**policy, "img-src": [*policy.get("img-src", []), "blob:"]}
        return response

    def response_add(self, request: HttpRequest, obj: Post, post_url_continue=None) -> HttpResponse:
        # Straight back to the form when the body names things to confirm, rather than the list.
        if unrelated_mentions(obj) and not {"_addanother", "_popup"} & request.POST.keys():
            self.message_user(
                request, f"The post “{obj}” was added successfully.", messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:news_post_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description="Publish now (keeps a date already set)", permissions=["change"])
    def publish_now(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        published = post_publish_now(posts=queryset, user=request.user)
        outcomes = [publish_now_outcome(post) for post in published]
        untouched = queryset.count() - len(published)
        if untouched:
            outcomes.append(
                f"{untouched} post(s) were out or scheduled already and keep their dates"
            )
        self.message_user(request, "; ".join(outcomes) + ".", messages.SUCCESS)

    @admin.action(description="Unpublish (back to draft)", permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        count = post_unpublish(posts=queryset, user=request.user)
        self.message_user(request, f"Unpublished {count} post(s).", messages.SUCCESS)
