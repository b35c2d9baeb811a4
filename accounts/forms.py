from django import forms

from accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "avatar", "bio", "email_notifications"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that my account is deleted for good. My comments stay, shown as "
        "written by a deleted user.",
    )
