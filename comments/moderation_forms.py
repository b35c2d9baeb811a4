"""The moderators' forms: every action asks for a reason; the audit log's filters."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from comments.models import ModerationActionKind
from comments.moderation import REASON_MAX_LENGTH
from films.models import Character, Film, Person

REASON_HELP = "Required. It goes in the audit log, and is shown to the member it concerns."


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=REASON_MAX_LENGTH,
        help_text=REASON_HELP,
        error_messages={"required": "Give a reason: it goes in the log, and to the member."},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX_LENGTH}),
    )


def _yes_no(value: str) -> bool:
    return value == "1"


class LockForm(ReasonForm):
    locked = forms.TypedChoiceField(
        choices=[("1", "Lock"), ("0", "Unlock")], coerce=_yes_no, widget=forms.HiddenInput
    )


class PinForm(ReasonForm):
    pinned = forms.TypedChoiceField(
        choices=[("1", "Pin"), ("0", "Unpin")], coerce=_yes_no, widget=forms.HiddenInput
    )


GENERAL = "general"
SUBJECT_MODELS = {"film": Film, "person": Person, "character": Character}
SUBJECT_GROUPS = [
    ("Films", "film", Film, "title"),
    ("People", "person", Person, "name"),
    ("Characters", "character", Character, "name"),
]


class MoveForm(ReasonForm):
    """Where to: a film, a person, a character, or general (about nothing in particular)."""

    subject = forms.ChoiceField(label="Move the discussion to")
    field_order = ["subject", "reason"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [
            ("", "Choose…"),
            (GENERAL, "General: about nothing in particular"),
            *[
                (
                    group,
                    [(f"{kind}:{pk}", name) for pk, name in model.objects.values_list("pk", label)],
                )
                for group, kind, model, label in SUBJECT_GROUPS
            ],
        ]

    def clean_subject(self) -> dict:
        """The service's keyword arguments: {"film": film}, or {} for general."""
        value = self.cleaned_data["subject"]
        if value == GENERAL:
            return {}
        kind, _, pk = value.partition(":")
        subject = SUBJECT_MODELS[kind].objects.filter(pk=pk).first()
        if subject is None:
            raise ValidationError("That is no longer there: choose again.")
        return {kind: subject}


SUSPENSION_PERIODS = [
    ("1", "1 day"),
    ("7", "7 days"),
    ("30", "30 days"),
    ("", "Until further notice"),
]


def _days(value: str) -> int | None:
    return int(value) if value else None


class SuspendForm(ReasonForm):
    days = forms.TypedChoiceField(
        label="For how long",
        choices=SUSPENSION_PERIODS,
        coerce=_days,
        empty_value=None,
        required=False,
        initial="1",
        widget=forms.RadioSelect,
    )
    field_order = ["days", "reason"]

    def clean_days(self) -> int | None:
        # An absent choice is not "until further notice": that is an explicit empty choice.
        if "days" not in self.data:
            raise ValidationError("Choose how long the suspension lasts.")
        return self.cleaned_data["days"]


class MemberLookupForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)

    def clean_username(self):
        username = self.cleaned_data["username"].strip().removeprefix("@")
        member = get_user_model().objects.filter(username__iexact=username).first()
        if member is None:
            raise ValidationError("No member has that username.")
        return member


class AuditLogFilterForm(forms.Form):
    """The log's filters (GET): each one left empty matches everything."""

    moderator = forms.ChoiceField(label="Moderator", required=False)
    member = forms.CharField(label="Member (username)", required=False, max_length=150)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *ModerationActionKind.choices]
    )
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="Until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        moderators = (
            get_user_model()
            .objects.filter(moderation_actions__isnull=False)
            .distinct()
            .order_by("username")
            .values_list("username", "display_name")
        )
        self.fields["moderator"].choices = [
            ("", "Anyone"),
            *[
                (username, f"{display or username} (@{username})")
                for username, display in moderators
            ],
        ]

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date comes before the start date.")
        return data

    def filter(self, actions):
        """The rows matching the valid filters (all of them while the form has errors)."""
        if not self.is_valid():
            return actions
        data = self.cleaned_data
        if data["moderator"]:
            actions = actions.filter(moderator__username=data["moderator"])
        if data["member"].strip():
            actions = actions.filter(member__username__iexact=data["member"].strip().lstrip("@"))
        if data["action"]:
            actions = actions.filter(action=data["action"])
        if data["since"]:
            actions = actions.filter(created_at__date__gte=data["since"])
        if data["until"]:
            actions = actions.filter(created_at__date__lte=data["until"])
        return actions
