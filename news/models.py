from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.images import SafeImageField


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PostQuerySet(models.QuerySet):
    def published(self):
        """Posts readers may see: published, and due (a future datetime is scheduled)."""
        return self.filter(status=PostStatus.PUBLISHED, published_at__lte=timezone.now())


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
    image_caption = models.CharField(max_length=300, blank=True)
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
    status = models.CharField(max_length=10, choices=PostStatus.choices, default=PostStatus.DRAFT)
    published_at = models.DateTimeField(
        "publication date",
        null=True,
        blank=True,
        help_text="Set a future date and time to schedule the post.",
    )
    films = models.ManyToManyField("films.Film", blank=True, related_name="posts")
    people = models.ManyToManyField("films.Person", blank=True, related_name="posts")
    characters = models.ManyToManyField("films.Character", blank=True, related_name="posts")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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

    def get_absolute_url(self) -> str:
        when = timezone.localtime(self.published_at or self.created_at or timezone.now())
        return reverse(
            "news:detail",
            kwargs={"year": when.year, "month": f"{when.month:02d}", "slug": self.slug},
        )

    def is_published(self) -> bool:
        return (
            self.status == PostStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


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
