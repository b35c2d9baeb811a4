import logging

from django.contrib import admin
from django.db.models import Case, QuerySet, Value, When
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html
from sorl.thumbnail import get_thumbnail

from films.models import (
    Character,
    Credit,
    CreditStatusChange,
    Department,
    Film,
    Person,
    ProductionEvent,
)
from films.services import credit_record_status_change

logger = logging.getLogger(__name__)

CAST_FIRST = Case(When(department=Department.CAST, then=Value(0)), default=Value(1))

# Enough empty rows on a new film to type in a whole cast (nine for the 1997 film) at once.
NEW_FILM_CREDIT_ROWS = 12


def preview(image, size: str = "60x90") -> str:
    if not image:
        return "–"
    try:
        thumb = get_thumbnail(image, size, crop="center", upscale=False, raise_errors=True)
    except Exception:
        # A file missing from storage (or a form's upload not saved yet) must not break the page.
        logger.exception("No preview for %s", image.name)
        return "–"
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" class="films-admin-preview">',
        thumb.url,
        thumb.width,
        thumb.height,
    )


class CreditSavingMixin:
    """After credits are saved, number new cast rows in order and keep each status's history."""

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        credits = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        if formset.model is not Credit:
            for credit in credits:
                credit.save()
            formset.save_m2m()
            return
        self._fill_billing(formset, credits)
        for credit in credits:
            credit.save()
            credit_record_status_change(credit=credit)
        formset.save_m2m()

    @staticmethod
    def _fill_billing(formset, credits: list[Credit]) -> None:
        """New credits left at billing 0 follow the others, in the order they were typed."""
        if not credits or not isinstance(formset.instance, Film):
            return
        parent = formset.instance
        taken = [c.billing for c in parent.credits.all()] if parent.pk else []
        next_billing = max([0, *taken, *(c.billing for c in credits)]) + 1
        for credit in credits:
            if credit.pk is None and credit.billing == 0:
                credit.billing = next_billing
                next_billing += 1


class CreditInlineFormSet(BaseInlineFormSet):
    """Catches two rows of one submission that the database would refuse as duplicates.

    Django checks each row against saved credits only, and the conditional unique constraints
    are not among the checks it runs across rows, so without this the second row is a 500.
    """

    def clean(self) -> None:
        super().clean()
        seen: set[tuple] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            credit = form.instance
            if credit.department == Department.CAST:
                key = ("cast", credit.film_id, credit.person_id, credit.character_id)
                message = "This person already plays this character in this film."
            else:
                key = ("crew", credit.film_id, credit.person_id, credit.department, credit.job)
                message = "This person already has this job on this film."
            if key in seen:
                form.add_error(None, message)
            seen.add(key)


class FilmCreditInline(admin.TabularInline):
    model = Credit
    fk_name = "film"
    formset = CreditInlineFormSet
    # The outlet's name and link, and the status history, are on the credit's own page ("Change").
    fields = ["billing", "department", "person", "character", "job"]
    status_fields = ["status", "reported_on", "source_post"]
    autocomplete_fields = ["person", "character", "source_post"]
    show_change_link = True
    verbose_name_plural = "Cast and crew (leave billing at 0 to number new rows in order)"

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # Statuses belong to films not yet released; on a released film's page their columns
        # only widen each row past the screen. They stay while any credit still has a status,
        # so releasing a film asks for its statuses to be cleared (on a POST, obj already holds
        # the submitted film status).
        if obj is not None and obj.is_released and not obj.credits.exclude(status="").exists():
            return self.fields
        return [*self.fields, *self.status_fields]

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        return NEW_FILM_CREDIT_ROWS if obj is None else 3

    def get_queryset(self, request: HttpRequest) -> QuerySet[Credit]:
        return (
            super()
            .get_queryset(request)
            .select_related("film", "person", "character", "source_post")
            .order_by(CAST_FIRST, "department", "billing", "pk")
        )


class ProductionEventInline(admin.TabularInline):
    model = ProductionEvent
    fields = [
        "happened_on",
        "summary",
        "status",
        "reported_on",
        "source_post",
        "source_name",
        "source_url",
    ]
    autocomplete_fields = ["source_post"]
    extra = 1


@admin.register(Film)
class FilmAdmin(CreditSavingMixin, admin.ModelAdmin):
    list_display = ["title", "poster_preview", "release_date", "status", "sequel_to"]
    list_display_links = ["title", "poster_preview"]
    list_filter = ["status"]
    list_select_related = ["sequel_to"]
    search_fields = ["title", "tagline", "synopsis"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["sequel_to"]
    readonly_fields = ["poster_preview", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "release_date", "sequel_to"]}),
        (
            "About",
            {"fields": ["tagline", "synopsis", "runtime_minutes", "distributor", "based_on"]},
        ),
        ("Poster", {"fields": ["poster", "poster_preview"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [FilmCreditInline, ProductionEventInline]

    @admin.display(description="Current poster")
    def poster_preview(self, film: Film) -> str:
        return preview(film.poster)


class PersonCreditInline(admin.TabularInline):
    model = Credit
    fk_name = "person"
    formset = CreditInlineFormSet
    # A status entered here cites its source too; the outlet's name and link are on the
    # credit's own page, as on the film's.
    fields = [
        "film", "department", "character", "job", "billing", "status", "reported_on", "source_post"
    ]  # fmt: skip
    autocomplete_fields = ["film", "character", "source_post"]
    show_change_link = True
    extra = 1

    def get_queryset(self, request: HttpRequest) -> QuerySet[Credit]:
        return (
            super()
            .get_queryset(request)
            .select_related("film", "person", "character", "source_post")
        )


@admin.register(Person)
class PersonAdmin(CreditSavingMixin, admin.ModelAdmin):
    list_display = ["name", "headshot_preview", "birth_date"]
    list_display_links = ["name", "headshot_preview"]
    list_filter = ["credits__film", "credits__department"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["headshot_preview"]
    fields = ["name", "slug", "birth_date", "bio", "headshot", "headshot_preview"]
    inlines = [PersonCreditInline]

    @admin.display(description="Current headshot")
    def headshot_preview(self, person: Person) -> str:
        return preview(person.headshot, "48x60")


@admin.register(Character)
class CharacterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    list_filter = ["credits__film"]
    # Name only: "Romy" in the autocomplete must not rank a character whose description says Romy.
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class StatusChangeInline(admin.TabularInline):
    """The history is written by the services; editors read it here."""

    model = CreditStatusChange
    fields = ["status", "reported_on", "source_post", "source_name", "source_url", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[CreditStatusChange]:
        return super().get_queryset(request).select_related("credit__person", "source_post")


@admin.register(Credit)
class CreditAdmin(admin.ModelAdmin):
    list_display = ["person", "film", "department", "role_display", "billing", "status"]
    list_filter = ["department", "status", "film"]
    list_select_related = ["person", "film", "character"]
    search_fields = ["person__name", "character__name", "film__title", "job"]
    autocomplete_fields = ["film", "person", "character", "source_post"]
    inlines = [StatusChangeInline]

    @admin.display(description="Role")
    def role_display(self, credit: Credit) -> str:
        return credit.role

    def save_model(self, request: HttpRequest, obj: Credit, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        credit_record_status_change(credit=obj)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"department": Department.CAST, **super().get_changeform_initial_data(request)}
