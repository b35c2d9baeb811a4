from django import forms
from django.db.models import Q

from accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "avatar", "bio", "email_notifications"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def clean_display_name(self) -> str:
        """Nobody may appear under another member's name."""
        name = self.cleaned_data["display_name"].strip()
        if name:
            taken = Q(username__iexact=name) | Q(display_name__iexact=name)
            if User.objects.filter(taken).exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(
                    "Another member goes by that name. Please choose a different one."
                )
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
