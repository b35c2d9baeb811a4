from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from accounts.images import SafeImageField


class FilmStatus(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    IN_DEVELOPMENT = "in_development", "In development"
    PRE_PRODUCTION = "pre_production", "Pre-production"
    FILMING = "filming", "Filming"
    POST_PRODUCTION = "post_production", "Post-production"
    RELEASED = "released", "Released"
    CANCELLED = "cancelled", "Cancelled"


class Department(models.TextChoices):
    CAST = "cast", "Cast"
    DIRECTING = "directing", "Directing"
    WRITING = "writing", "Writing"
    PRODUCTION = "production", "Production"
    CAMERA = "camera", "Camera"
    EDITING = "editing", "Editing"
    SOUND = "sound", "Music and sound"
    ART = "art", "Art and design"
    COSTUME = "costume", "Costume and make-up"


class ReturnStatus(models.TextChoices):
    """How sure the news is that someone takes part in a film not yet released."""

    CONFIRMED = "confirmed", "Confirmed"
    IN_TALKS = "in_talks", "In talks"
    EXPRESSED_INTEREST = "expressed_interest", "Expressed interest"
    RUMOURED = "rumoured", "Rumoured"
    NOT_RETURNING = "not_returning", "Not returning"


# The badge modifier (site.css) for each status: how good the news is for fans.
STATUS_TONES = {
    ReturnStatus.CONFIRMED: "success",
    ReturnStatus.IN_TALKS: "warning",
    ReturnStatus.EXPRESSED_INTEREST: "warning",
    ReturnStatus.NOT_RETURNING: "danger",
}


class Reported(models.Model):
    """When something was reported and by whom: a news post of ours, or an outside outlet."""

    reported_on = models.DateField(
        null=True, blank=True, help_text="The date the news came out, not the date you entered it."
    )
    source_post = models.ForeignKey(
        "news.Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(class)s_reports",
        help_text="Our news post that reported it, if there is one.",
    )
    source_name = models.CharField(
        "source outlet", max_length=120, blank=True, help_text="For example: Us Weekly."
    )
    source_url = models.URLField("source link", blank=True)

    class Meta:
        abstract = True

    @property
    def has_source(self) -> bool:
        return bool(self.source_post_id or self.source_name or self.source_url)


class FilmQuerySet(models.QuerySet):
    def released(self):
        return self.filter(status=FilmStatus.RELEASED, release_date__lte=timezone.localdate())

    def upcoming(self):
        return self.exclude(status__in=[FilmStatus.RELEASED, FilmStatus.CANCELLED])

    def sequels(self):
        return self.filter(sequel_to__isnull=False)

    def for_index(self) -> "FilmQuerySet":
        """The film index: each film with what it follows, in release order (unreleased last)."""
        return self.select_related("sequel_to").order_by(
            F("release_date").asc(nulls_last=True), "title"
        )

    def for_detail(self) -> "FilmQuerySet":
        """Everything the film page shows but who is returning, in a fixed number of queries."""
        credits = Credit.objects.select_related("person", "character", "source_post").order_by(
            "billing", "pk"
        )
        events = ProductionEvent.objects.select_related("source_post").order_by("happened_on", "pk")
        return self.select_related("sequel_to").prefetch_related(
            Prefetch("credits", queryset=credits),
            Prefetch("production_events", queryset=events),
            Prefetch("sequels", queryset=Film.objects.order_by("created_at")),
        )

    def for_cast(self) -> "FilmQuerySet":
        """The full cast and crew page: every credit with its person and character."""
        credits = Credit.objects.select_related("person", "character", "source_post").order_by(
            "billing", "pk"
        )
        return self.select_related("sequel_to").prefetch_related(
            Prefetch("credits", queryset=credits)
        )

    def latest_sequel(self) -> "Film | None":
        """The sequel still to come that the home page follows: the newest one entered."""
        return self.upcoming().sequels().select_related("sequel_to").order_by("-created_at").first()


class Film(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    status = models.CharField(max_length=20, choices=FilmStatus, default=FilmStatus.ANNOUNCED)
    release_date = models.DateField(
        null=True, blank=True, help_text="Leave empty until the film is released."
    )
    tagline = models.CharField(max_length=200, blank=True)
    synopsis = models.TextField(blank=True)
    runtime_minutes = models.PositiveSmallIntegerField(
        "runtime", null=True, blank=True, help_text="In minutes."
    )
    distributor = models.CharField(max_length=120, blank=True)
    based_on = models.CharField(
        max_length=200,
        blank=True,
        help_text="What the film is adapted from, e.g. a play: “Ladies' Room (1988 play)”.",
    )
    sequel_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sequels",
        help_text="The earlier film this one follows.",
    )
    poster = SafeImageField(
        upload_to="posters/%Y/",
        blank=True,
        help_text="JPEG, PNG, WebP or AVIF, at most 10 MB, portrait (2:3).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FilmQuerySet.as_manager()

    class Meta:
        ordering = ["release_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=FilmStatus.RELEASED) | Q(release_date__isnull=False),
                name="film_released_has_release_date",
                violation_error_message="A released film needs its release date.",
            ),
            models.CheckConstraint(
                condition=~Q(sequel_to=models.F("pk")),
                name="film_not_its_own_sequel",
                violation_error_message="A film cannot be a sequel to itself.",
            ),
        ]

    def __str__(self) -> str:
        if self.release_date:
            return f"{self.title} ({self.release_date.year})"
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("films:detail", kwargs={"slug": self.slug})

    def get_cast_url(self) -> str:
        return reverse("films:cast", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.status == FilmStatus.RELEASED and not self.release_date:
            errors["release_date"] = "A released film needs its release date."
        if self.sequel_to_id and self.pk and self.sequel_to_id == self.pk:
            errors["sequel_to"] = "A film cannot be a sequel to itself."
        if errors:
            raise ValidationError(errors)

    @property
    def is_released(self) -> bool:
        return self.status == FilmStatus.RELEASED

    @property
    def year(self) -> int | None:
        return self.release_date.year if self.release_date else None

    # The methods below read the prefetched credits of `for_detail()` / `for_cast()`.

    def cast_credits(self) -> list["Credit"]:
        return [credit for credit in self.credits.all() if credit.department == Department.CAST]

    def top_cast(self, limit: int = 6) -> list["Credit"]:
        return self.cast_credits()[:limit]

    def key_crew(self) -> list[tuple[str, list["Credit"]]]:
        """("Directed by", credits), ("Written by", credits): those the film has."""
        headings = {Department.DIRECTING: "Directed by", Department.WRITING: "Written by"}
        groups = [
            (heading, [credit for credit in self.credits.all() if credit.department == department])
            for department, heading in headings.items()
        ]
        return [(heading, credits) for heading, credits in groups if credits]

    def credits_by_department(self) -> list[tuple[str, list["Credit"]]]:
        """(department label, credits in billing order), departments in the order of the choices."""
        groups: dict[str, list[Credit]] = {value: [] for value in Department.values}
        for credit in self.credits.all():
            groups[credit.department].append(credit)
        labels = dict(Department.choices)
        return [(labels[value], credits) for value, credits in groups.items() if credits]


class PersonQuerySet(models.QuerySet):
    def for_detail(self) -> "PersonQuerySet":
        """The person page: every credit with its film and character, oldest film first."""
        credits = Credit.objects.select_related("film", "character", "source_post").order_by(
            F("film__release_date").asc(nulls_last=True), "film__title", "department", "billing"
        )
        return self.prefetch_related(Prefetch("credits", queryset=credits))


class Person(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    bio = models.TextField(blank=True)
    birth_date = models.DateField(null=True, blank=True)
    headshot = SafeImageField(
        upload_to="people/%Y/",
        blank=True,
        help_text="JPEG, PNG, WebP or AVIF, at most 10 MB, portrait (4:5).",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("films:person-detail", kwargs={"slug": self.slug})

    @property
    def initials(self) -> str:
        return "".join(word[0] for word in self.name.split()[:2]).upper()

    def filmography(self) -> list[tuple["Film", list["Credit"]]]:
        """(film, this person's credits on it), reading the credits `for_detail()` prefetched."""
        films: dict[int, tuple[Film, list[Credit]]] = {}
        for credit in self.credits.all():
            films.setdefault(credit.film_id, (credit.film, []))[1].append(credit)
        return list(films.values())


class CharacterQuerySet(models.QuerySet):
    def for_detail(self) -> "CharacterQuerySet":
        """The character page: who played them in which film, with the status of each credit."""
        credits = Credit.objects.select_related(
            "film", "film__sequel_to", "person", "source_post"
        ).order_by(F("film__release_date").asc(nulls_last=True), "film__title", "billing")
        return self.prefetch_related(Prefetch("credits", queryset=credits))


class Character(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True, help_text="Who they are, without spoilers.")

    objects = CharacterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("films:character-detail", kwargs={"slug": self.slug})

    def sequels_without_news(self) -> list["Film"]:
        """Sequels still to come of films this character is in, with no credit for them yet."""
        return list(
            Film.objects.upcoming()
            .filter(sequel_to__credits__character=self)
            .exclude(credits__character=self)
            .distinct()
            .order_by("created_at")
        )


class CreditQuerySet(models.QuerySet):
    def with_history(self) -> "CreditQuerySet":
        changes = CreditStatusChange.objects.select_related("source_post").order_by(
            "reported_on", "recorded_at", "pk"
        )
        return self.prefetch_related(Prefetch("status_changes", queryset=changes))


class Credit(Reported):
    """Someone's part in a film. For a film not yet released, also how sure that part is."""

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credits")
    department = models.CharField(max_length=20, choices=Department, default=Department.CAST)
    job = models.CharField(
        max_length=120,
        blank=True,
        help_text="For crew, e.g. Director, Screenplay, Executive producer. Leave empty for cast.",
    )
    character = models.ForeignKey(
        Character,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credits",
        help_text="Cast only: the character played.",
    )
    billing = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the credits: 1 is top billing."
    )
    status = models.CharField(
        max_length=20,
        choices=ReturnStatus,
        blank=True,
        help_text="Only for a film not yet released: how sure it is that this person takes part.",
    )

    objects = CreditQuerySet.as_manager()

    class Meta:
        ordering = ["film", "department", "billing", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department=Department.CAST) | Q(character__isnull=True),
                name="credit_character_only_for_cast",
                violation_error_message="Only cast credits can name a character.",
            ),
            models.CheckConstraint(
                condition=Q(department=Department.CAST) | ~Q(job=""),
                name="credit_crew_has_job",
                violation_error_message="A crew credit needs a job.",
            ),
            models.UniqueConstraint(
                fields=["film", "person", "character"],
                condition=Q(department=Department.CAST),
                name="credit_unique_cast_role",
                violation_error_message="This person already plays this character in this film.",
            ),
            models.UniqueConstraint(
                fields=["film", "person", "department", "job"],
                condition=~Q(department=Department.CAST),
                name="credit_unique_crew_job",
                violation_error_message="This person already has this job on this film.",
            ),
        ]
        indexes = [models.Index(fields=["person", "film"], name="credit_person_film_idx")]

    def __str__(self) -> str:
        return f"{self.person} – {self.role} ({self.film.title})"

    def clean(self) -> None:
        errors = {}
        if self.department != Department.CAST and self.character_id:
            errors["character"] = "Only cast credits can name a character."
        if self.department != Department.CAST and not self.job:
            errors["job"] = "Say what this person did, e.g. Director or Executive producer."
        film = self.film if self.film_id or _has_cached(self, "film") else None
        if self.status and film is not None and film.is_released:
            errors["status"] = (
                "The film is released: a status is only for films not yet released. Leave it empty."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def role(self) -> str:
        """What the person did: the character played, or the job."""
        if self.character_id:
            return self.character.name
        return self.job or self.get_department_display()

    @property
    def is_cast(self) -> bool:
        return self.department == Department.CAST

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "")


def _has_cached(instance: models.Model, field: str) -> bool:
    return instance._meta.get_field(field).is_cached(instance)


class CreditStatusChange(Reported):
    """One step in the history of a credit's status, recorded when the status changes."""

    credit = models.ForeignKey(Credit, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=20, choices=ReturnStatus)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["credit", "reported_on", "recorded_at"]
        get_latest_by = "recorded_at"

    def __str__(self) -> str:
        return f"{self.credit.person}: {self.get_status_display()}"

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "")


class ProductionEvent(Reported):
    """A milestone on a film's way to release, for the production timeline."""

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="production_events")
    happened_on = models.DateField(help_text="When it happened, or when it was first reported.")
    summary = models.CharField(max_length=200, help_text="For example: Script in progress.")
    status = models.CharField(
        max_length=20,
        choices=FilmStatus,
        blank=True,
        help_text="The film's status after this event, if it changed.",
    )

    class Meta:
        ordering = ["film", "happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.film.title}: {self.summary}"
