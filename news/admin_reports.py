"""What a post reports for the films, entered on the post's own admin page.

Two inlines on PostAdmin, each row citing the post as its source: a credit's status change (the
who-is-returning tracker) and a production-timeline event. Rows are saved through the films
services, after the post itself, so a new post is the source of what it reports.
"""

import copy
import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone

from films.models import Credit, CreditStatusChange, Film, ProductionEvent
from films.services import credit_set_status, credit_status_change_delete, production_event_save
from news.models import Post

POST_DATE_HELP = "Leave empty for the post's publication date (today for a post without one)."


def report_date(post: Post) -> datetime.date:
    """The day the post's reports came out: its publication date, else today."""
    return timezone.localdate(post.published_at) if post.published_at else timezone.localdate()


class ReportInline(admin.TabularInline):
    """A table of what the post reports, with its rule said above it (`description`)."""

    template = "admin/news/post/report_inline.html"
    description = ""
    extra = 1
    # The permission to change what saving a row moves besides the row (a credit, a film).
    moves = ""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_add_permission(request, obj) and request.user.has_perm(self.moves)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and request.user.has_perm(self.moves)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and request.user.has_perm(self.moves)

    class Media:
        css = {"all": ["news/admin/reports.css"]}


class ReportFormSet(BaseInlineFormSet):
    """Loads the choices of the rows' select once for every row, the empty template row too."""

    choices_kwarg = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_kwargs = {**self.form_kwargs, self.choices_kwarg: self.choices()}

    def choices(self) -> list[tuple]:
        raise NotImplementedError

    def save(self, commit: bool = True) -> list:
        if not commit:
            # The rows are saved by the films services, never left to the caller.
            raise ValueError("Reports are saved through the films services: save(commit=True).")
        return super().save(commit=True)


class StatusChangeForm(forms.ModelForm):
    credit = forms.ModelChoiceField(
        queryset=Credit.objects.select_related("film", "person", "character"),
        help_text="Cast and crew of the films still to come.",
    )

    class Meta:
        model = CreditStatusChange
        fields = ["credit", "status", "reported_on"]
        help_texts = {"reported_on": POST_DATE_HELP}

    def __init__(self, *args, credit_choices: list[tuple] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit"].choices = [("", "---------"), *credit_choices]
        if self.instance.pk:
            # A step already in the history stays as reported; it can only be deleted.
            for field in self.fields.values():
                field.disabled = True

    def clean_credit(self) -> Credit:
        credit = self.cleaned_data["credit"]
        if not self.instance.pk and not Film.objects.upcoming().filter(pk=credit.film_id).exists():
            raise ValidationError("Only credits on films still to come have a status.")
        return credit


class StatusChangeFormSet(ReportFormSet):
    choices_kwarg = "credit_choices"

    def choices(self) -> list[tuple]:
        wanted = Q(film__in=Film.objects.upcoming())
        if self.instance.pk:
            # Steps this post reported for a film released since still show their credit.
            wanted |= Q(status_changes__source_post=self.instance)
        credits = (
            Credit.objects.filter(wanted)
            .distinct()
            .select_related("film", "person", "character")
            .order_by("-film__created_at", "billing", "pk")
        )
        return [(credit.pk, str(credit)) for credit in credits]

    def save_new(self, form: StatusChangeForm, commit: bool = True) -> CreditStatusChange:
        data = form.cleaned_data
        credit = credit_set_status(
            credit=data["credit"],
            status=data["status"],
            reported_on=data["reported_on"] or report_date(self.instance),
            source_post=self.instance,
        )
        return credit.status_changes.order_by("-recorded_at", "-pk").first()

    def delete_existing(self, obj: CreditStatusChange, commit: bool = True) -> None:
        credit_status_change_delete(change=obj)


class StatusChangeInline(ReportInline):
    model = CreditStatusChange
    fk_name = "source_post"
    form = StatusChangeForm
    formset = StatusChangeFormSet
    fields = ["credit", "status", "reported_on"]
    moves = "films.change_credit"
    verbose_name = "status change this post reports"
    verbose_name_plural = "Who is returning: status changes this post reports"
    description = (
        "Saving the post sets the credit's status on the film's page at once, a draft's too, and "
        "adds it to its history citing this post (linked once the post is out). A saved change "
        "cannot be edited, only deleted: deleting a credit's latest change puts its status back "
        "to the one before."
    )

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .select_related("credit__film", "credit__person", "credit__character")
        )


class ProductionEventForm(forms.ModelForm):
    film = forms.ModelChoiceField(queryset=Film.objects.all())

    class Meta:
        model = ProductionEvent
        fields = ["film", "happened_on", "summary", "status"]
        help_texts = {
            "happened_on": POST_DATE_HELP,
            "status": "The film's status after this event, if it changed: the film takes it "
            "unless a later event on its timeline says otherwise.",
        }
        widgets = {"summary": forms.TextInput(attrs={"size": 30})}

    def __init__(self, *args, film_choices: tuple = ((), None), **kwargs):
        super().__init__(*args, **kwargs)
        choices, sequel_pk = film_choices
        self.fields["film"].choices = [("", "---------"), *choices]
        self.fields["happened_on"].required = False
        if not self.instance.pk:
            self.fields["film"].initial = sequel_pk

    def clean(self) -> dict:
        data = super().clean()
        film, status = data.get("film"), data.get("status")
        if film is not None and status:
            # The film's own rules (a released film needs its release date) before it follows.
            future = copy.copy(film)
            future.status = status
            try:
                future.clean()
            except ValidationError as error:
                self.add_error("status", error.messages)
        return data


class ProductionEventFormSet(ReportFormSet):
    choices_kwarg = "film_choices"

    def choices(self) -> tuple[list[tuple], int | None]:
        sequel = Film.objects.latest_sequel()
        # Films still to come (no release date) first, the newest of them first.
        films = Film.objects.only("pk", "title", "release_date").order_by(
            F("release_date").desc(nulls_first=True), "-created_at"
        )
        return [(film.pk, str(film)) for film in films], sequel.pk if sequel else None

    def _save(self, form: ProductionEventForm) -> ProductionEvent:
        event = form.save(commit=False)
        event.source_post = self.instance
        event.happened_on = event.happened_on or report_date(self.instance)
        event.reported_on = event.reported_on or report_date(self.instance)
        return production_event_save(event=event)

    def save_new(self, form: ProductionEventForm, commit: bool = True) -> ProductionEvent:
        return self._save(form)

    def save_existing(self, form: ProductionEventForm, obj, commit: bool = True):
        return self._save(form)


class ProductionEventInline(ReportInline):
    model = ProductionEvent
    fk_name = "source_post"
    form = ProductionEventForm
    formset = ProductionEventFormSet
    fields = ["film", "happened_on", "summary", "status"]
    moves = "films.change_film"
    verbose_name = "timeline event this post reports"
    verbose_name_plural = "Production timeline: events this post reports"
    description = (
        "Each event goes on the film's production timeline citing this post. With a status, the "
        "film takes that status, unless a later event on its timeline gives another. Deleting an "
        "event leaves the film's status as it is: change that on the film's page."
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("film")
