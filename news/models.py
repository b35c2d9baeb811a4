from collections.abc import Iterable, Sequence

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from accounts.images import SafeImageField
from films.models import Character, Film, Person
from news.linking import Entity, find_mentions, link_first_mentions
from news.markdown import render_article


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


PREVIEW_PERMISSION = "news.view_post"
# The backend that grants permissions (allauth's grants none); with_perm() needs it named.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def can_preview_posts(user) -> bool:
    """Who may see draft and scheduled posts (and their discussions): signed-in staff holding
    the news.view_post permission. Both, since a moderator with admin access is no news editor
    and a member given the permission has no way into the admin where drafts are written."""
    return user.is_authenticated and user.is_staff and user.has_perm(PREVIEW_PERMISSION)


def post_previewers() -> models.QuerySet:
    """The users can_preview_posts() lets in, as a queryset (to choose whom to tell of a draft)."""
    users = get_user_model().objects.with_perm(PREVIEW_PERMISSION, backend=PERMISSION_BACKEND)
    return users.filter(is_staff=True)


# What readers read: a change to these after publication is an update ("Updated <date>").
CONTENT_FIELDS = frozenset({"title", "standfirst", "body"})


class PostQuerySet(models.QuerySet):
    def published(self):
        """Posts readers may see: published, and due (a future datetime is scheduled)."""
        return self.filter(status=PostStatus.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user) -> "PostQuerySet":
        """Editors also see drafts and scheduled posts (as previews); everyone else what is out."""
        return self.all() if can_preview_posts(user) else self.published()

    def newest_first(self) -> "PostQuerySet":
        return self.order_by("-published_at", "-pk")

    def for_index(self) -> "PostQuerySet":
        """What a list of post cards shows: the author beside each post, in one query."""
        return self.select_related("author").newest_first()

    def for_detail(self) -> "PostQuerySet":
        """Everything the post page shows, in a fixed number of queries."""
        return self.select_related("author").prefetch_related(
            Prefetch("sources", queryset=Source.objects.order_by("order", "pk")),
            Prefetch("films", queryset=Film.objects.order_by("release_date", "title")),
            Prefetch("people", queryset=Person.objects.order_by("name")),
            "characters",
        )

    def about_film(self, film) -> "PostQuerySet":
        return self.filter(films=film)

    def about_person(self, person) -> "PostQuerySet":
        return self.filter(people=person)

    def about_character(self, character) -> "PostQuerySet":
        return self.filter(characters=character)


# Revisions (django-reversion) keep a post with its sources. Registered here, not left to
# PostAdmin's automatic registration, which would follow every inline: the credit status changes
# and timeline events a post reports (news.admin_reports) are the films services' to write, and
# restoring a revision must not write them behind those services' backs.
@reversion.register(follow=["sources"])
class Post(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the address. Filled from the title.",
    )
    standfirst = models.CharField(
        max_length=300, blank=True, help_text="One or two sentences shown under the title."
    )
    body = models.TextField(
        help_text="Markdown: blank lines between paragraphs, ## for a subheading, > for a quote."
    )
    body_html = models.TextField(editable=False, default="")
    featured_image = SafeImageField(
        upload_to="news/%Y/%m/",
        blank=True,
        help_text="JPEG, PNG, WebP or AVIF, at most 10 MB, landscape (16:9 works best).",
    )
    image_alt = models.CharField(
        "image alt text",
        max_length=250,
        blank=True,
        help_text="What the image shows, for people who cannot see it.",
    )
    image_caption = models.CharField(
        max_length=300, blank=True, help_text="Shown under the image, before the credit."
    )
    image_credit = models.CharField(
        max_length=200, blank=True, help_text="For example: Walt Disney Studios Motion Pictures."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
    )
    status = models.CharField(
        max_length=10,
        choices=PostStatus,
        default=PostStatus.DRAFT,
        help_text="Only staff see drafts. Published posts appear at their publication date.",
    )
    published_at = models.DateTimeField(
        "publication date",
        null=True,
        blank=True,
        help_text="Needed to publish. A future date and time schedules the post.",
    )
    films = models.ManyToManyField("films.Film", blank=True, related_name="posts")
    people = models.ManyToManyField("films.Person", blank=True, related_name="posts")
    characters = models.ManyToManyField("films.Character", blank=True, related_name="posts")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    content_updated_at = models.DateTimeField(
        "content updated",
        null=True,
        blank=True,
        editable=False,
        help_text="When the title, standfirst or body last changed after publication.",
    )
    dismissed_suggestions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text='Suggested links the editor dismissed for this post, as "person:12" keys.',
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=PostStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="post_published_has_date",
                violation_error_message="A published post needs a publication date.",
            ),
            models.CheckConstraint(
                condition=Q(featured_image="") | ~Q(image_alt=""),
                name="post_image_has_alt_text",
                violation_error_message="Describe the featured image in its alt text.",
            ),
        ]
        indexes = [models.Index(fields=["status", "-published_at"], name="post_published_idx")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.render_body()
        update_fields = kwargs.get("update_fields")
        saves_content = update_fields is None or CONTENT_FIELDS & set(update_fields)
        if saves_content and self._content_changed_after_publication():
            self.content_updated_at = timezone.now()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "content_updated_at"}
        super().save(*args, **kwargs)
        self._stored = self._publication_state()

    def get_absolute_url(self) -> str:
        when = timezone.localtime(self.published_at or self.created_at or timezone.now())
        return reverse(
            "news:detail",
            kwargs={"year": when.year, "month": f"{when.month:02d}", "slug": self.slug},
        )

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        post = super().from_db(db, field_names, values, **kwargs)
        post._stored = post._publication_state()
        return post

    def is_published(self) -> bool:
        return (
            self.status == PostStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == PostStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def was_updated(self) -> bool:
        """Its title, standfirst or body changed after it came out, so the page shows an
        "Updated" date (saving its status, relations or image does not count)."""
        return (
            self.content_updated_at is not None
            and self.published_at is not None
            and self.content_updated_at > self.published_at
        )

    @property
    def modified_at(self):
        """When readers last saw the post change: its content update, else its publication
        (the date feeds, sitemaps and structured data give as modified)."""
        return self.content_updated_at if self.was_updated else self.published_at

    def restored_over(self, current: "Post") -> None:
        """About to save a restored revision over `current` (the post as it is now): the
        restored text is an edit of today's post, so its content date follows from comparing
        with that, not with the revision (which brought its own old dates back)."""
        self._stored = current._stored
        self.content_updated_at = current.content_updated_at

    def _publication_state(self) -> dict:
        state = {name: getattr(self, name) for name in CONTENT_FIELDS if name in self.__dict__}
        loaded = {"status", "published_at"} <= self.__dict__.keys()
        state["_live"] = self.is_published() if loaded else None
        return state

    def _content_changed_after_publication(self) -> bool:
        """Whether this save changes the title, standfirst or body of a post that was out, as
        the database had it: the values loaded with the post, or read now when it was built
        by hand. Edits to a draft or a scheduled post are not updates readers could see."""
        if self._state.adding or self.pk is None:
            return False
        stored = getattr(self, "_stored", None)
        if stored is None or stored["_live"] is None or CONTENT_FIELDS - stored.keys():
            row = Post.objects.filter(pk=self.pk).first()
            if row is None:
                return False
            stored = row._stored
        return bool(stored["_live"]) and any(
            getattr(self, name) != stored[name] for name in CONTENT_FIELDS
        )

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.status == PostStatus.PUBLISHED and self.published_at is None:
            errors["published_at"] = (
                "A published post needs a publication date: now, or a future date to schedule it."
            )
        if self.featured_image and not self.image_alt.strip():
            errors["image_alt"] = "Describe the featured image in its alt text."
        if errors:
            raise ValidationError(errors)

    def render_body(self) -> None:
        """Render the Markdown body to sanitised HTML, linking related films and people."""
        self.body_html = render_post_body(self.body, self.linked_entities())

    def linked_entities(self) -> list[Entity]:
        """Related films and people, whose first mention in the body links to their page."""
        if self.pk is None:
            return []
        return entities_to_link(films=self.films.all(), people=self.people.all())

    def unrelated_mentions(self, related: dict[type, set[int]] | None = None) -> list[models.Model]:
        """Films, people and characters named in the body but not yet related to the post, less
        the suggestions the editor dismissed. `related` (primary keys by model) stands in for the
        saved relations when the admin's form holds others, before the first save too."""
        dismissed = set(self.dismissed_suggestions)
        if related is None:
            related = {}
            if self.pk is not None:
                related = {
                    Film: {film.pk for film in self.films.all()},
                    Person: {person.pk for person in self.people.all()},
                    Character: {character.pk for character in self.characters.all()},
                }
        found = []
        for queryset, name_field in (
            (Film.objects.only("pk", "title", "slug", "release_date"), "title"),
            (Person.objects.only("pk", "name", "slug"), "name"),
            (Character.objects.only("pk", "name", "slug"), "name"),
        ):
            known = related.get(queryset.model, set())
            candidates = (
                (getattr(obj, name_field), obj)
                for obj in queryset
                if obj.pk not in known and suggestion_key(obj) not in dismissed
            )
            found += find_mentions(self.body, candidates)
        return found


def _surname(name: str) -> tuple[str, ...]:
    words = name.split()
    return (words[-1],) if len(words) > 1 else ()


def entities_to_link(*, films: Iterable[Film], people: Iterable[Person]) -> list[Entity]:
    """Films and people whose first mention in a post's body links to their page."""
    linked = [Entity(film.title, film.get_absolute_url()) for film in films]
    # A person is often named in full once and by surname after: either counts as a mention.
    return linked + [
        Entity(person.name, person.get_absolute_url(), aliases=_surname(person.name))
        for person in people
    ]


def render_post_body(body: str, entities: Sequence[Entity]) -> str:
    """A post's body as its page shows it: Markdown rendered and sanitised, first mentions of
    the entities linked. The admin's live preview calls this too, so it shows what readers get."""
    return link_first_mentions(render_article(body), entities)


def suggestion_key(entity: models.Model) -> str:
    """How a suggested link is named in Post.dismissed_suggestions: "person:12"."""
    return f"{entity._meta.model_name}:{entity.pk}"


@reversion.register()
class Source(models.Model):
    """An outside report the post draws on."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="sources")
    outlet = models.CharField(max_length=120, help_text="For example: Us Weekly.")
    url = models.URLField("link", blank=True)
    reported = models.CharField(
        "what it reported",
        max_length=300,
        blank=True,
        help_text="For example: Interview with Mira Sorvino about the sequel.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["post", "order", "pk"]

    def __str__(self) -> str:
        return self.outlet
