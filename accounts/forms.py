from django import forms

from accounts.models import User
from accounts.names import TAKEN_MESSAGE, clean_name, name_is_taken


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "avatar", "bio", "email_notifications"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def clean_display_name(self) -> str:
        """Nobody may appear under another member's name, nor under one that only looks like
        it (accounts.names)."""
        name = clean_name(self.cleaned_data["display_name"])
        if name and name_is_taken(name, exclude_pk=self.instance.pk):
            raise forms.ValidationError(TAKEN_MESSAGE, code="confusable")
        return name


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that my account is deleted for good. My comments stay, shown as "
        "written by a deleted user.",
    )
    erase_comments = forms.BooleanField(
        required=False,
        label="Also erase the text of my comments",
        help_text="Each comment keeps its place as “deleted”, so the replies to it still make "
        "sense; what you wrote is gone.",
    )
