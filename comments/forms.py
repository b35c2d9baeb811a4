import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db.models import Case, F, IntegerField, Value, When
from django.urls import reverse

from comments.markdown import render_comment
from comments.models import Comment, Flag, FlagReason, Thread
from comments.permissions import is_new_member
from films.models import Film

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


# What a new member may not post, found in the source (an image, which the sanitiser drops, or
# an address Markdown leaves as text) or in the rendered HTML (any link but a mention).
IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\s*[(\[]")
BARE_URL_RE = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)\S")
LINK_RE = re.compile(r"<a\s[^>]*href")
MENTION_LINK_RE = re.compile(r'<a\s[^>]*class="mention"')


def new_member_rules() -> str:
    most = settings.NEW_MEMBER_MAX_MENTIONS
    per_hour = settings.NEW_MEMBER_POSTS_PER_HOUR
    return (
        f"While your account is new: no links or images, at most {most} "
        f"{'mention' if most == 1 else 'mentions'}, and {per_hour} "
        f"{'comment' if per_hour == 1 else 'comments'} an hour."
    )


def new_member_problems(body: str) -> list[str]:
    """Why a new member may not post this body: links, images, too many mentions."""
    problems = []
    rendered = render_comment(body)
    links = len(LINK_RE.findall(rendered.html)) - len(MENTION_LINK_RE.findall(rendered.html))
    if IMAGE_RE.search(body):
        problems.append(
            "While your account is new you cannot post images. Take the image out and post "
            "the rest; once you have taken part a little longer, images are fine."
        )
    if links > 0 or BARE_URL_RE.search(body):
        problems.append(
            "While your account is new you cannot post links (it keeps spam out). Take the "
            "web address out, or describe where to find it."
        )
    most = settings.NEW_MEMBER_MAX_MENTIONS
    if len(rendered.mentioned) > most:
        problems.append(
            f"While your account is new you can mention at most {most} "
            f"{'person' if most == 1 else 'people'} in a comment; this one names "
            f"{len(rendered.mentioned)}."
        )
    return problems


def _check_body(body: str, writer=None) -> str:
    probe = Comment(body=body)
    try:
        probe.clean()
    except forms.ValidationError as error:
        raise forms.ValidationError(error.message_dict["body"]) from error
    if writer is not None and is_new_member(writer) and (problems := new_member_problems(body)):
        raise forms.ValidationError(problems)
    return body


class WriterFormMixin:
    """A form whose body follows the rules for its writer (new members: no links, images or
    crowds of mentions). Without a writer (the form as first shown) nothing is checked."""

    def __init__(self, *args, writer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.writer = writer
        if writer is not None and is_new_member(writer):
            self.fields["body"].help_text = f"{BODY_HELP} {new_member_rules()}"

    def clean_body(self) -> str:
        return _check_body(self.cleaned_data["body"], self.writer)


def spoiler_films(own_film_id: int | None = None):
    """The films a comment or discussion may give away: the one it is about first, then in
    release order (unreleased last)."""
    own = Case(When(pk=own_film_id, then=Value(0)), default=Value(1), output_field=IntegerField())
    return Film.objects.alias(own=own).order_by(
        "own", F("release_date").asc(nulls_last=True), "title"
    )


class SpoilersFieldMixin:
    """The "Contains spoilers for" select; `own_film_id` (the film a discussion is about) is
    listed first."""

    def __init__(self, *args, own_film_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spoilers_for"] = forms.ModelChoiceField(
            queryset=spoiler_films(own_film_id),
            required=False,
            empty_label="No spoilers",
            label="Contains spoilers for",
            help_text=(
                "Say which film it gives away (the plot, the ending): it stays hidden from "
                "readers who have not seen that film. For a word or two, ||spoiler|| is enough."
            ),
        )


class CommentBodyForm(WriterFormMixin, forms.Form):
    """Only the text: what a preview checks."""

    body = _body_field()


class CommentForm(SpoilersFieldMixin, CommentBodyForm):
    pass


@dataclass(frozen=True)
class CommentFormMode:
    """What differs between the comment, reply and edit forms: their words, where they post,
    and the thread page's partial that shows them inline (htmx)."""

    title: str
    heading: str
    action_url: str
    button_label: str
    form_id: str
    partial: str
    cancel_url: str
    auto_id: str = "id_%s"  # A page may hold several forms (the main one, a reply): ids differ.
    parent: Comment | None = None  # The comment answered, quoted above a reply.
    own_film_id: int | None = None  # The thread's film, first in the "spoilers for" select.

    @classmethod
    def comment(cls, thread: Thread) -> "CommentFormMode":
        return cls(
            title="Comment",
            heading="Your comment",
            action_url=thread.get_comment_url(),
            button_label="Post comment",
            form_id=f"comment-form-{thread.pk or 'new'}",
            partial="comment_form",
            cancel_url=thread.get_page_url(),
            own_film_id=thread.film_id,
        )

    @classmethod
    def reply(cls, parent: Comment) -> "CommentFormMode":
        to = f" to {parent.author.public_name}" if parent.author else ""
        return cls(
            title="Reply",
            heading=f"Reply{to}",
            action_url=reverse("comments:reply", kwargs={"pk": parent.pk}),
            button_label="Post reply",
            form_id=f"reply-form-{parent.pk}",
            partial="reply_form",
            cancel_url=parent.get_absolute_url(),
            auto_id=f"id_reply{parent.pk}_%s",
            parent=parent if parent.is_visible else None,
            own_film_id=parent.thread.film_id,
        )

    @classmethod
    def edit(cls, comment: Comment) -> "CommentFormMode":
        return cls(
            title="Edit your comment",
            heading="Edit your comment",
            action_url=reverse("comments:edit", kwargs={"pk": comment.pk}),
            button_label="Save",
            form_id=f"edit-form-{comment.pk}",
            partial="edit_form",
            cancel_url=comment.get_absolute_url(),
            auto_id=f"id_edit{comment.pk}_%s",
            own_film_id=comment.thread.film_id,
        )

    def form(self, **kwargs) -> CommentForm:
        return CommentForm(auto_id=self.auto_id, own_film_id=self.own_film_id, **kwargs)


class ThreadForm(SpoilersFieldMixin, WriterFormMixin, forms.Form):
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


class FlagForm(forms.ModelForm):
    reason = forms.ChoiceField(choices=FlagReason.choices, widget=forms.RadioSelect)

    class Meta:
        model = Flag
        fields = ["reason", "note"]
        labels = {"note": "Anything the moderators should know (optional)"}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
