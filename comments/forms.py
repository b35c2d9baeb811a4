from django import forms
from django.conf import settings

from comments.models import Comment, Flag, FlagReason, Thread

BODY_HELP = (
    "Markdown works: **bold**, *italics*, [links](https://example.com), lists, > quotes, "
    "`code`, ||spoilers|| and @username to mention someone."
)


def _body_field(label: str = "Your comment") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        required=False,  # The model's clean() says what is wrong with an empty body.
        help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": settings.COMMENT_MAX_LENGTH}),
    )


def _check_body(body: str) -> str:
    probe = Comment(body=body)
    try:
        probe.clean()
    except forms.ValidationError as error:
        raise forms.ValidationError(error.message_dict["body"]) from error
    return body


class CommentForm(forms.Form):
    body = _body_field()

    def clean_body(self) -> str:
        return _check_body(self.cleaned_data["body"])


class ThreadForm(forms.Form):
    title = forms.CharField(
        max_length=Thread._meta.get_field("title").max_length,
        help_text="What the discussion is about, in a few words.",
    )
    body = _body_field("First comment")

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the discussion a title.")
        return title

    def clean_body(self) -> str:
        return _check_body(self.cleaned_data["body"])


class FlagForm(forms.ModelForm):
    reason = forms.ChoiceField(choices=FlagReason.choices, widget=forms.RadioSelect)

    class Meta:
        model = Flag
        fields = ["reason", "note"]
        labels = {"note": "Anything the moderators should know (optional)"}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
