"""The Following page's form: which kinds of notification a member also gets by email."""

from django import forms

from comments.models import NotificationKind

# What each kind's box says, in the member's words.
EMAIL_LABELS = {
    NotificationKind.REPLY: "Replies to your comments",
    NotificationKind.MENTION: "Mentions of you",
    NotificationKind.THREAD_COMMENT: "New comments in discussions you follow",
    NotificationKind.NEWS: "News about what you follow",
    NotificationKind.NEW_THREAD: "New discussions about what you follow",
    NotificationKind.TRACKER: "Who is returning: news of the people and characters you follow",
}


class EmailChoicesForm(forms.Form):
    """One box per kind of notification; an unticked box is a "no"."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in NotificationKind.values:
            self.fields[kind] = forms.BooleanField(label=EMAIL_LABELS[kind], required=False)

    @property
    def wanted(self) -> dict[str, bool]:
        return {kind: self.cleaned_data[kind] for kind in NotificationKind.values}
