from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from comments.caching import notifications_changed
from comments.markdown import render_comment
from news.models import Post, can_preview_posts


def _about_published_post(prefix: str = "") -> Q:
    """About no post, or about one readers may see: news' Post.objects.published(), through the
    relation named by `prefix`."""
    return Q(**{f"{prefix}post__isnull": True}) | Q(
        **{f"{prefix}post__in": Post.objects.published()}
    )


class ThreadQuerySet(models.QuerySet):
    def public(self):
        """Threads everyone may read: about no post, or about a published one."""
        return self.filter(_about_published_post())

    def visible_to(self, user):
        return self.all() if can_preview_posts(user) else self.public()

    def by_activity(self):
        return self.order_by("-pinned", "-last_activity_at")

    def with_subject(self):
        return self.select_related("film", "person", "character", "post")

    def for_detail(self):
        """The thread page's header: its starter, and the film its spoilers are for. The
        subject (a film, person or character, and none for most threads) is read when shown:
        a query by primary key for the one set, not three more joins on every page (PostgreSQL
        spent 1 to 2 ms planning the six)."""
        return self.select_related("starter", "spoilers_for")

    def for_index(self):
        """The discussions list: each thread with its subject and last poster, no per-row query."""
        return self.by_activity().with_subject().select_related("last_commenter", "starter")

    def about(self, subject):
        """The threads about one film, person or character."""
        field = subject._meta.model_name
        return self.filter(**{field: subject})


class Thread(models.Model):
    """A discussion: about one film, person, character or post, or about nothing in particular."""

    title = models.CharField(max_length=200)
    starter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="started_threads",
    )
    film = models.ForeignKey(
        "films.Film", on_delete=models.CASCADE, null=True, blank=True, related_name="threads"
    )
    person = models.ForeignKey(
        "films.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="threads"
    )
    character = models.ForeignKey(
        "films.Character", on_delete=models.CASCADE, null=True, blank=True, related_name="threads"
    )
    post = models.OneToOneField(
        "news.Post",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="thread",
        help_text="A post has exactly one thread: its comments.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_commenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Visible comments, kept exact by every write."
    )
    locked = models.BooleanField(default=False, help_text="A locked thread takes no new comments.")
    pinned = models.BooleanField(default=False, help_text="Pinned threads are listed first.")
    spoilers_for = models.ForeignKey(
        "films.Film",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="spoiler_threads",
        help_text="The film this discussion gives away: hidden from members who have not seen it.",
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-last_activity_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(film__isnull=True, person__isnull=True, character__isnull=True)
                    | Q(film__isnull=True, person__isnull=True, post__isnull=True)
                    | Q(film__isnull=True, character__isnull=True, post__isnull=True)
                    | Q(person__isnull=True, character__isnull=True, post__isnull=True)
                ),
                name="thread_about_at_most_one_subject",
                violation_error_message=(
                    "A discussion is about at most one film, person, character or post."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("comments:thread", kwargs={"pk": self.pk, "slug": self.slug})

    def get_comment_url(self) -> str:
        """Where the comment form posts. A post's thread is made by the first write that needs
        it, so until then (an unsaved Thread(post=...)) the form posts to the post."""
        if self.pk is None:
            return reverse("comments:post-comment", kwargs={"pk": self.post_id})
        return reverse("comments:comment-create", kwargs={"pk": self.pk})

    def get_follow_url(self) -> str:
        if self.pk is None:
            return reverse("comments:post-follow", kwargs={"pk": self.post_id})
        return reverse("comments:follow", kwargs={"pk": self.pk})

    def get_page_url(self) -> str:
        """Where the comments are read: under the article for a post's thread."""
        if self.post_id:
            return self.post.get_absolute_url()
        return self.get_absolute_url()

    @property
    def slug(self) -> str:
        return slugify(self.title)[:60] or "discussion"

    @property
    def subject(self):
        return self.film or self.person or self.character or self.post


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", "Visible"
    REMOVED = "removed", "Removed by a moderator"
    DELETED = "deleted", "Deleted by its author"
    # Reported by enough members (COMMENTS_AUTO_HIDE_REPORTS): out of sight until a moderator
    # restores it (or upholds the reports, which removes it).
    HIDDEN = "hidden", "Hidden pending review"


class CommentSort(models.TextChoices):
    OLDEST = "oldest", "Oldest first"
    NEWEST = "newest", "Newest first"
    LIKED = "liked", "Most liked"


SORT_ORDERINGS = {
    CommentSort.OLDEST: ("created_at", "pk"),
    CommentSort.NEWEST: ("-created_at", "-pk"),
    CommentSort.LIKED: ("-like_count", "created_at", "pk"),
}


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(status=CommentStatus.VISIBLE)

    def in_public_threads(self):
        return self.filter(_about_published_post("thread__"))

    def in_threads_visible_to(self, user):
        return self.all() if can_preview_posts(user) else self.in_public_threads()

    def roots(self):
        return self.filter(parent__isnull=True)

    def sorted_by(self, sort: str):
        return self.order_by(*SORT_ORDERINGS.get(sort, SORT_ORDERINGS[CommentSort.OLDEST]))

    def with_author(self):
        return self.select_related("author")

    def for_roots_page(self, thread: Thread, sort: str) -> "CommentQuerySet":
        """The thread page's top-level comments in the reader's order, each with its author;
        the caller paginates them."""
        return self.filter(thread=thread).roots().with_author().sorted_by(sort)

    def replies_under(self, root_ids: list[int]) -> "CommentQuerySet":
        """Every reply in these trees, whatever its depth, in one query: nested in Python."""
        return self.filter(root__in=root_ids).with_author().order_by("created_at", "pk")

    def first_replies(self, thread_id: int, root_ids: list[int], count: int) -> "CommentQuerySet":
        """The first `count` replies written in each of these trees, each with its author, in
        one query that reads at most `count` entries of the (thread, root, created_at) index per
        tree (a UNION ALL of one LIMIT per tree: SQLite has no LATERAL, and a window function
        would number every reply of a 5,000-reply tree). A reply is never written before its
        parent, so the first replies of a tree hold the parent of every one of them."""
        if not root_ids:
            return self.none()
        quote = connection.ops.quote_name
        meta = self.model._meta
        pk, thread, root, created = (
            quote(meta.get_field(name).column) for name in ("id", "thread", "root", "created_at")
        )
        one_tree = (
            f"SELECT * FROM (SELECT {pk} FROM {quote(meta.db_table)} WHERE {thread} = %s"
            f" AND {root} = %s ORDER BY {created}, {pk} LIMIT %s) AS first_replies"
        )
        sql = " UNION ALL ".join([one_tree] * len(root_ids))
        params = [value for root_id in root_ids for value in (thread_id, root_id, count)]
        return self.filter(pk__in=RawSQL(sql, params)).with_author().order_by("created_at", "pk")

    def replies_of(self, root: "Comment") -> "CommentQuerySet":
        """All the replies in a top-level comment's tree, in the order they were written (the
        order its pages of replies use), each with its author."""
        return (
            self.filter(thread_id=root.thread_id, root_id=root.pk)
            .with_author()
            .order_by("created_at", "pk")
        )

    def written_before(self, comment: "Comment") -> "CommentQuerySet":
        """The comments written before this one, in the (created_at, pk) order pages use."""
        return self.filter(
            Q(created_at__lt=comment.created_at)
            | Q(created_at=comment.created_at, pk__lt=comment.pk)
        )

    def for_profile(self):
        """A user's comments, newest first, each with its thread for the link."""
        return (
            self.visible()
            .in_public_threads()
            .select_related("thread")
            .order_by("-created_at", "-pk")
        )


class Comment(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        help_text="Empty once the author deleted their account.",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    root = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="descendants",
        help_text="The top-level comment of this reply's tree; empty for top-level comments.",
    )
    depth = models.PositiveSmallIntegerField(default=0)
    body = models.TextField()
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(max_length=10, choices=CommentStatus, default=CommentStatus.VISIBLE)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    like_count = models.PositiveIntegerField(default=0, editable=False)
    reply_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Visible replies in this tree (top-level comments only).",
    )
    spoilers_for = models.ForeignKey(
        "films.Film",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="spoiler_comments",
        help_text="The film this comment gives away: collapsed for members who have not seen it.",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [("moderate_comment", "Can moderate discussions")]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True, root__isnull=True, depth=0)
                | Q(parent__isnull=False, root__isnull=False, depth__gt=0),
                name="comment_reply_has_root_and_depth",
            ),
        ]
        indexes = [
            models.Index(fields=["thread", "root", "created_at"], name="comment_thread_root_idx"),
            models.Index(fields=["thread", "-like_count"], name="comment_thread_likes_idx"),
            models.Index(fields=["author", "-created_at"], name="comment_author_idx"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author or 'deleted user'}"

    def save(self, *args, **kwargs) -> None:
        if not self.body_html:
            self.render_body()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    def clean(self) -> None:
        limit = settings.COMMENT_MAX_LENGTH
        if not self.body.strip():
            raise ValidationError({"body": "Write something before posting: the comment is empty."})
        if len(self.body) > limit:
            raise ValidationError(
                {
                    "body": f"A comment can be at most {limit:,} characters long; "
                    f"this one has {len(self.body):,}. Shorten it or split it in two."
                }
            )

    @property
    def is_visible(self) -> bool:
        return self.status == CommentStatus.VISIBLE

    def render_body(self) -> list:
        """Render the Markdown body into body_html; returns the users it mentions."""
        rendered = render_comment(self.body)
        self.body_html = rendered.html
        return rendered.mentioned

    @property
    def tree_root_id(self) -> int:
        return self.root_id or self.pk


class Reaction(models.Model):
    """A like: one per user and comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="reaction_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} likes comment {self.comment_id}"


class FlagReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSE = "abuse", "Abusive or hateful"
    SPOILER = "spoiler", "Unmarked spoiler"
    OFF_TOPIC = "off_topic", "Off topic"
    OTHER = "other", "Something else"


class FlagOutcome(models.TextChoices):
    DISMISSED = "dismissed", "Dismissed: the comment stays"
    UPHELD = "upheld", "Upheld: the comment is removed"


class Flag(models.Model):
    """A report of a comment to the moderators."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="flags"
    )
    reason = models.CharField(max_length=20, choices=FlagReason)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(
        max_length=10,
        choices=FlagOutcome,
        blank=True,
        help_text="Set when a moderator resolves the report.",
    )

    class Meta:
        ordering = ["resolved_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="flag_one_per_reporter"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on comment {self.comment_id}"


class Subscription(models.Model):
    """A user follows a thread and is told of new comments in it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="subscription_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.thread}"


class NotificationKind(models.TextChoices):
    REPLY = "reply", "Reply"
    MENTION = "mention", "Mention"
    THREAD_COMMENT = "thread_comment", "New comment in a followed thread"
    # About a film, person or character the member follows (a Follow):
    NEWS = "news", "News about something you follow"
    NEW_THREAD = "new_thread", "New discussion about something you follow"
    TRACKER = "tracker", "Who is returning: a change for someone you follow"


# Whether a member gets an email for each kind until they choose (an EmailChoice row).
EMAIL_BY_DEFAULT = {
    NotificationKind.REPLY: True,
    NotificationKind.MENTION: True,
    NotificationKind.THREAD_COMMENT: False,
    NotificationKind.NEWS: True,
    NotificationKind.NEW_THREAD: True,
    NotificationKind.TRACKER: True,
}


class NotificationQuerySet(models.QuerySet):
    """Every write of notifications forgets their recipients' cached unread counts
    (comments.caching), whoever writes them."""

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        notifications_changed(notification.recipient_id for notification in created)
        return created

    def update(self, **kwargs):
        if "read_at" in kwargs:  # The one field updated in bulk that the count depends on.
            notifications_changed(self.order_by().values_list("recipient_id", flat=True))
        return super().update(**kwargs)

    def delete(self):
        notifications_changed(self.order_by().values_list("recipient_id", flat=True))
        return super().delete()

    def unread(self):
        return self.filter(read_at__isnull=True)

    def current(self):
        """About comments still there: a deleted or removed comment is no news any more."""
        return self.filter(Q(comment__isnull=True) | Q(comment__status=CommentStatus.VISIBLE))

    def for_recipient(self, user):
        """The user's notifications about what they may see: a post back in draft takes its
        notifications, and its thread's, out of sight (its title with them)."""
        mine = self.filter(recipient=user)
        if can_preview_posts(user):
            return mine
        return mine.filter(
            _about_published_post("comment__thread__"),
            _about_published_post("thread__"),
            _about_published_post(),
        )

    def for_list(self):
        return self.select_related(
            "actor",
            "comment__thread",
            "thread",
            "post",
            "status_change__credit__film",
            "status_change__credit__person",
            "status_change__credit__character",
        ).order_by("-created_at", "-pk")


class Notification(models.Model):
    """Something a member hears of: a comment (reply, mention, followed thread), or, about what
    they follow, a published post, a new discussion or a change on the who-is-returning tracker.
    Exactly one of comment, post, thread and status_change is set."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind)
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    post = models.ForeignKey(
        "news.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    status_change = models.ForeignKey(
        "films.CreditStatusChange",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # The followed film, person or character that brought it, in words: "Alan Cumming".
    about = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its email went to the mail server. Set just before sending and cleared "
        "if sending fails, so a repeated or retried task never sends it twice.",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "comment", "kind"], name="notification_once_per_event"
            ),
            models.UniqueConstraint(
                fields=["recipient", "post"],
                condition=Q(post__isnull=False),
                name="notification_once_per_post",
            ),
            models.UniqueConstraint(
                fields=["recipient", "thread"],
                condition=Q(thread__isnull=False),
                name="notification_once_per_thread",
            ),
            models.UniqueConstraint(
                fields=["recipient", "status_change"],
                condition=Q(status_change__isnull=False),
                name="notification_once_per_status_change",
            ),
            models.CheckConstraint(
                condition=(
                    Q(comment__isnull=False, post=None, thread=None, status_change=None)
                    | Q(comment=None, post__isnull=False, thread=None, status_change=None)
                    | Q(comment=None, post=None, thread__isnull=False, status_change=None)
                    | Q(comment=None, post=None, thread=None, status_change__isnull=False)
                ),
                name="notification_about_one_thing",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        notifications_changed([self.recipient_id])

    def delete(self, *args, **kwargs):
        notifications_changed([self.recipient_id])
        return super().delete(*args, **kwargs)

    def get_target_url(self) -> str:
        """Where opening the notification goes: the comment, post, discussion or tracker."""
        if self.comment_id:
            return self.comment.get_absolute_url()
        if self.post_id:
            return self.post.get_absolute_url()
        if self.thread_id:
            return self.thread.get_absolute_url()
        return self.status_change.credit.film.get_absolute_url() + "#returning"


class EmailChoice(models.Model):
    """A member's choice of email for one kind of notification, where it differs from
    EMAIL_BY_DEFAULT. User.email_notifications stays the switch for all of them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_choices"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind)
    wanted = models.BooleanField()

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_choice_once_per_kind"),
        ]

    def __str__(self) -> str:
        wanted = "wants" if self.wanted else "does not want"
        return f"{self.user} {wanted} email for {self.get_kind_display()}"


class FollowQuerySet(models.QuerySet):
    def of(self, subject):
        """The follows of one film, person or character."""
        return self.filter(**{subject._meta.model_name: subject})

    def for_list(self):
        """The Following page: each follow with what it follows."""
        return self.select_related("film", "person", "character").order_by("-created_at", "-pk")


class Follow(models.Model):
    """A member follows a film, a person or a character: they hear of news posts about it, new
    discussions about it, and changes on the who-is-returning tracker for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    film = models.ForeignKey(
        "films.Film", on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    person = models.ForeignKey(
        "films.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    character = models.ForeignKey(
        "films.Character", on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = FollowQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(film__isnull=False, person=None, character=None)
                    | Q(film=None, person__isnull=False, character=None)
                    | Q(film=None, person=None, character__isnull=False)
                ),
                name="follow_one_subject",
                violation_error_message="A follow is of one film, person or character.",
            ),
            models.UniqueConstraint(
                fields=["user", "film"], condition=Q(film__isnull=False), name="follow_film_once"
            ),
            models.UniqueConstraint(
                fields=["user", "person"],
                condition=Q(person__isnull=False),
                name="follow_person_once",
            ),
            models.UniqueConstraint(
                fields=["user", "character"],
                condition=Q(character__isnull=False),
                name="follow_character_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.subject}"

    @property
    def subject(self):
        return self.film or self.person or self.character


class PostAnnouncement(models.Model):
    """Followers were told of this post: one row per post, made by the fan-out that tells them,
    so a post is announced once however often it is saved, unpublished or published again."""

    post = models.OneToOneField("news.Post", on_delete=models.CASCADE, related_name="announcement")
    announced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-announced_at"]

    def __str__(self) -> str:
        return f"Followers told of {self.post}"


class SeenFilm(models.Model):
    """A member has seen a film: its spoilers show normally for them. (Anonymous visitors keep
    the same choice in a cookie, comments.spoilers.)"""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seen_films"
    )
    film = models.ForeignKey("films.Film", on_delete=models.CASCADE, related_name="seen_by")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "film"], name="seen_film_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} has seen {self.film}"


class ModerationActionKind(models.TextChoices):
    REMOVE = "remove", "Removed a comment"
    RESTORE = "restore", "Restored a comment"
    DISMISS = "dismiss", "Dismissed reports"
    UPHOLD = "uphold", "Upheld reports"
    LOCK = "lock", "Locked a discussion"
    UNLOCK = "unlock", "Unlocked a discussion"
    PIN = "pin", "Pinned a discussion"
    UNPIN = "unpin", "Unpinned a discussion"
    MOVE = "move", "Moved a discussion"
    SUSPEND = "suspend", "Suspended a member"
    LIFT = "lift", "Lifted a suspension"
    AUTO_HIDE = "auto_hide", "Hid a comment on reports (automatic)"


class ModerationActionQuerySet(models.QuerySet):
    def for_log(self):
        """The audit log page: newest first, each row with what it links to."""
        return self.select_related("moderator", "member", "comment", "thread__post").order_by(
            "-created_at", "-pk"
        )


class ModerationAction(models.Model):
    """The audit log: one row per moderator action or automatic hide, written by the service
    that acts, never edited or deleted (the admin shows it read-only)."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions",
        help_text="Empty for an automatic action.",
    )
    action = models.CharField(max_length=20, choices=ModerationActionKind)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions_concerning",
        help_text="The member the action concerns: the comment's author, the suspended member.",
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    suspension = models.ForeignKey(
        "accounts.Suspension", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the row was about, kept in words in case the object is deleted later.
    target = models.CharField(max_length=250)
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["moderator", "-created_at"], name="modaction_moderator_idx"),
            models.Index(fields=["member", "-created_at"], name="modaction_member_idx"),
            models.Index(fields=["action", "-created_at"], name="modaction_action_idx"),
        ]

    def __str__(self) -> str:
        who = self.moderator or "automatic"
        return f"{who}: {self.get_action_display()} ({self.target})"

    def get_target_url(self) -> str:
        """Where the row's object is read: the comment, else the thread, else the member."""
        if self.comment_id:
            return self.comment.get_absolute_url()
        if self.thread_id:
            return self.thread.get_page_url()
        if self.member_id:
            return self.member.get_absolute_url()
        return ""
