"""Discussion pages and the actions on comments. Every action works as a plain form post with a
redirect; htmx requests get a template partial of the thread page instead
("comments/thread.html#comment"). Who may do what: comments.permissions; moderation:
comments.moderation_views; following and notifications: comments.notification_views."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.utils import ErrorList
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from comments import services
from comments.forms import CommentBodyForm, CommentForm, CommentFormMode, FlagForm, ThreadForm
from comments.fragments import attach_articles, fill_csrf
from comments.markdown import render_comment
from comments.models import Comment, CommentSort, Thread
from comments.permissions import (
    can_change,
    can_moderate,
    denied,
    is_new_member,
    is_verified_member,
    posting_allowed,
    safe_next,
    writing_allowed,
)
from comments.ratelimit import is_limited, limit_message, rate_limited
from comments.sections import (
    THREAD_TEMPLATE,
    clean_sort,
    comment_partial,
    comment_section,
    discussion_context,
    first_comment,
    liked_ids,
    page_number_of,
    replies_page,
    replies_page_number_of,
    thread_of_post,
)
from comments.spoilers import hides
from comments.structured_data import thread_json_ld
from films.models import Character, Film, Person
from news.models import Post

FORM_PAGE_TEMPLATE = "comments/comment_form_page.html"
THREADS_PER_PAGE = 25
QUOTE_MAX_LENGTH = 2000
SUBJECT_MODELS = {"film": Film, "person": Person, "character": Character}


def _comments(request: HttpRequest):
    """Comments the visitor may see: a draft or scheduled post's thread is 404 but to those who
    may preview posts."""
    return Comment.objects.in_threads_visible_to(request.user)


# Form helpers ---------------------------------------------------------------------------------


def _form_invalid(
    request: HttpRequest,
    form: CommentForm,
    *,
    thread: Thread,
    mode: CommentFormMode,
    comment: Comment | None = None,
    status: int = 400,
) -> HttpResponse:
    """Show the form again with its messages and the text as typed: nothing is lost."""
    context = {"form": form, "thread": thread, "comment": comment, "mode": mode}
    if request.htmx:
        context = discussion_context(request, **context)
        # htmx swaps only 2xx and 429 answers (base.html's htmx-config); the form replaces
        # itself in place. A rate limit keeps its 429, which monitoring counts.
        status = 429 if status == 429 else 200
        response = render(request, f"{THREAD_TEMPLATE}#{mode.partial}", context, status=status)
        response["HX-Retarget"] = f"#{mode.form_id}"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, FORM_PAGE_TEMPLATE, context, status=status)


def _preview_refusal(request: HttpRequest) -> str | None:
    """The rate-limit message when the writer has previewed too often, or None. A preview renders
    Markdown, so it counts against a limit of its own, more generous than posting's. Call it
    only for a valid form (nothing over the length limit is rendered) of a writer with a
    verified email address."""
    if is_limited(request.user, "preview"):
        return limit_message("preview")
    return None


def _post_refusal(request: HttpRequest) -> str | None:
    """The rate-limit message when the writer has posted too often, or None: everyone's limit,
    and a new member's hourly one (comments, replies and discussions started all count)."""
    if is_limited(request.user, "post"):
        return limit_message("post")
    if is_new_member(request.user) and is_limited(request.user, "new_post"):
        return limit_message("new_post")
    return None


def _preview(
    request: HttpRequest, form: CommentForm, *, thread: Thread, mode: CommentFormMode, comment=None
) -> HttpResponse:
    if not is_verified_member(request.user):  # Editing needs no verified address; previewing does.
        return denied(request, "unverified")
    if refusal := _preview_refusal(request):
        form.add_error(None, refusal)
        return _form_invalid(request, form, thread=thread, mode=mode, comment=comment, status=429)
    context = {
        "form": form,
        "thread": thread,
        "comment": comment,
        "mode": mode,
        "preview_html": render_comment(form.cleaned_data["body"]).html,
    }
    return render(request, FORM_PAGE_TEMPLATE, context)


def _quote(comment: Comment, selection: str = "") -> str:
    """The comment (or the part of it the reader selected) as a Markdown quote."""
    text = selection.strip()[:QUOTE_MAX_LENGTH] or comment.body
    quoted = "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
    name = f"@{comment.author.username} " if comment.author else ""
    return f"{quoted}\n\n{name}"


# Reading ---------------------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    threads = Thread.objects.public().for_index().select_related("spoilers_for")
    page_obj = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "can_moderate": can_moderate(request.user)}
    return render(request, "comments/index.html", context)


@require_safe
def thread_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    threads = Thread.objects.visible_to(request.user).for_detail()
    thread = get_object_or_404(threads, pk=pk)
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    if thread.post_id:
        return redirect(thread.get_page_url() + query)
    if slug != thread.slug:
        return redirect(thread.get_absolute_url() + query, permanent=True)
    section, page_number = comment_section(request, thread)
    first = first_comment(thread)
    spoilers_hidden = hides(request, thread)
    json_ld = thread_json_ld(thread, first, request=request)
    if spoilers_hidden:  # Search results must not give the film away either.
        json_ld["headline"] = f"A discussion with spoilers for {thread.spoilers_for.title}"
    if spoilers_hidden or (first is not None and hides(request, first)):
        json_ld.pop("text", None)
    context = discussion_context(
        request,
        thread,
        comment_section=section,
        page_number=page_number,
        json_ld=json_ld,
        spoilers_hidden=spoilers_hidden,
    )
    return render(request, THREAD_TEMPLATE, context)


@require_safe
def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """Redirects to the page of the thread that shows the comment, scrolled to it."""
    comment = get_object_or_404(_comments(request).select_related("thread__post", "root"), pk=pk)
    if request.htmx:  # "Cancel" on an edit form: the comment as it is.
        return comment_partial(request, comment)
    replies_page_number = replies_page_number_of(comment)
    if replies_page_number is not None:  # A later reply: on a page of its root's replies.
        url = reverse("comments:replies", args=[comment.root_id])
        if replies_page_number > 1:
            url += f"?page={replies_page_number}"
        return redirect(f"{url}#comment-{comment.pk}")
    sort = clean_sort(request.GET.get("sort"))
    query = {}
    if sort != CommentSort.OLDEST:
        query["sort"] = sort
    page = page_number_of(comment, sort)
    if page > 1:
        query["page"] = page
    url = comment.thread.get_page_url()
    if query:
        url += f"?{urlencode(query)}"
    return redirect(f"{url}#comment-{comment.pk}")


@require_safe
def comment_replies(request: HttpRequest, pk: int) -> HttpResponse:
    """A page of a top-level comment's later replies: with htmx, each put under its parent on
    the thread page (out of band) with the link to the next page; else a page of its own."""
    roots = _comments(request).roots().select_related("thread__post", "author", "spoilers_for")
    root = get_object_or_404(roots, pk=pk)
    thread = root.thread
    page = replies_page(root=root, user=request.user, page_number=request.GET.get("page"))
    if request.htmx:
        context = discussion_context(request, thread, replies=page)
        attach_articles(request, context, root.replies_on_page)
        response = render(request, f"{THREAD_TEMPLATE}#replies_page", context)
        response.content = fill_csrf(request, response.content.decode())
        return response
    root.children = [reply for group in page.groups.values() for reply in group]
    root.children.sort(key=lambda reply: (reply.created_at, reply.pk))
    root.more_replies = False  # The pagination below links the pages.
    root.liked = root.pk in liked_ids(request.user, [root])
    context = discussion_context(
        request,
        thread,
        root=root,
        page_obj=page.page_obj,
        replies_shown=settings.COMMENTS_REPLIES_SHOWN,
        spoilers_hidden=hides(request, thread),
    )
    attach_articles(request, context, [root, *root.replies_on_page])
    response = render(request, "comments/replies.html", context)
    response.content = fill_csrf(request, response.content.decode())
    return response


# Posting ---------------------------------------------------------------------------------------


@posting_allowed
@require_http_methods(["GET", "POST"])
def thread_new(
    request: HttpRequest, kind: str | None = None, slug: str | None = None
) -> HttpResponse:
    subject = None
    if kind is not None:
        if kind not in SUBJECT_MODELS:
            raise Http404("No such kind of discussion.")
        subject = get_object_or_404(SUBJECT_MODELS[kind], slug=slug)
    own_film_id = subject.pk if kind == "film" else None
    form = ThreadForm(request.POST or None, writer=request.user, own_film_id=own_film_id)
    context = {"form": form, "subject": subject, "kind": kind}
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            if refusal := _preview_refusal(request):
                form.add_error(None, refusal)
                return render(request, "comments/thread_form.html", context, status=429)
            context["preview_html"] = render_comment(form.cleaned_data["body"]).html
            return render(request, "comments/thread_form.html", context)
        if refusal := _post_refusal(request):
            form.add_error(None, refusal)
            return render(request, "comments/thread_form.html", context, status=429)
        about = {kind: subject} if subject is not None else {}
        try:
            thread = services.thread_start(
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                spoilers_for=form.cleaned_data["spoilers_for"],
                **about,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your discussion has started. You will hear of replies.")
            return redirect(thread)
    status = 400 if form.is_bound else 200
    return render(request, "comments/thread_form.html", context, status=status)


def _page_shown(raw: str | None) -> int:
    """The page of comments the form was posted from (its hidden `page`), 1 if unreadable."""
    try:
        return max(int(raw), 1)
    except (TypeError, ValueError):
        return 1


def _posted(request: HttpRequest, comment: Comment, *, first_in_thread: bool) -> HttpResponse:
    """The htmx answer to a new comment: it joins the list where the reader's order puts it. The
    first comment on a post, whose page showed no thread yet, brings the whole section."""
    settle = {"HX-Trigger-After-Settle": "commentPosted"}
    if first_in_thread:
        section, _ = comment_section(request, comment.thread)  # Made now, with its post.
        headers = {"HX-Retarget": "#comments", "HX-Reswap": "outerHTML", **settle}
        return HttpResponse(section, headers=headers)
    if comment.parent_id is None:
        # Newest first: at the top of page 1. Oldest first, or most liked (no likes yet, and
        # the newest of those with none): at the end of the last page.
        sort = clean_sort(request.POST.get("sort"))
        target = f"#comments-{comment.thread_id}"
        swap = "afterbegin" if sort == CommentSort.NEWEST else "beforeend"
        # Newest first, a comment just posted is the first of all: no count needed.
        its_page = 1 if sort == CommentSort.NEWEST else page_number_of(comment, sort)
        if its_page != _page_shown(request.POST.get("page")):
            headers = {"HX-Retarget": target, "HX-Reswap": swap, **settle}
            link = comment.get_absolute_url()
            if sort != CommentSort.OLDEST:
                link += f"?{urlencode({'sort': sort})}"
            context = {"link": link, "its_page": its_page}
            response = render(request, f"{THREAD_TEMPLATE}#posted_elsewhere", context)
            oob = {"thread": comment.thread, "oob": True}  # Its count is the new one.
            response.write(render_to_string(f"{THREAD_TEMPLATE}#comment_count", oob, request))
            for name, value in headers.items():
                response[name] = value
            return response
    else:
        target, swap = f"#replies-{comment.parent_id}", "beforeend"
    headers = {"HX-Retarget": target, "HX-Reswap": swap, **settle}
    return comment_partial(request, comment, is_new=True, headers=headers)


def _save_comment(
    request: HttpRequest, *, thread: Thread, parent: Comment | None = None
) -> HttpResponse:
    mode = CommentFormMode.reply(parent) if parent else CommentFormMode.comment(thread)
    form = mode.form(data=request.POST, writer=request.user)
    invalid = {"thread": thread, "mode": mode, "comment": parent}
    if not form.is_valid():
        return _form_invalid(request, form, **invalid)
    if "preview" in request.POST:
        return _preview(request, form, **invalid)
    if thread.locked:
        form.add_error(None, "This discussion is locked: it takes no new comments.")
        return _form_invalid(request, form, **invalid, status=403)
    if refusal := _post_refusal(request):
        form.add_error(None, refusal)
        return _form_invalid(request, form, **invalid, status=429)
    first_in_thread = thread.pk is None
    try:
        comment = services.comment_create(
            thread=thread,
            author=request.user,
            body=form.cleaned_data["body"],
            parent=parent,
            spoilers_for=form.cleaned_data["spoilers_for"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _form_invalid(request, form, **invalid)
    if request.htmx:
        return _posted(request, comment, first_in_thread=first_in_thread)
    messages.success(request, "Your comment is posted.")
    return redirect(comment)


@posting_allowed
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.visible_to(request.user), pk=pk)
    return _save_comment(request, thread=thread)


@posting_allowed
@require_POST
def post_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment under a news post, whose thread is made now if this is the first."""
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    return _save_comment(request, thread=thread_of_post(post))


@posting_allowed
@require_http_methods(["GET", "POST"])
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_object_or_404(_comments(request).select_related("thread", "author"), pk=pk)
    thread = parent.thread
    if request.method == "POST":
        return _save_comment(request, thread=thread, parent=parent)
    mode = CommentFormMode.reply(parent)
    quote = request.GET.get("quote") and parent.is_visible
    # A reply to a comment that gives a film away most likely does too.
    initial = {"spoilers_for": parent.spoilers_for_id}
    if quote:
        initial["body"] = _quote(parent, request.GET.get("selection", ""))
    form = mode.form(initial=initial, writer=request.user)
    context = {"form": form, "thread": thread, "comment": parent, "mode": mode}
    if request.htmx:
        context = discussion_context(request, **context)
        return render(request, f"{THREAD_TEMPLATE}#{mode.partial}", context)
    return render(request, FORM_PAGE_TEMPLATE, context)


@require_POST
@posting_allowed
def preview(request: HttpRequest) -> HttpResponse:
    """The htmx preview under a comment form: only a valid body is rendered."""
    form = CommentBodyForm(request.POST, writer=request.user)
    if not form.is_valid():
        context, status = {"preview_errors": form.errors["body"]}, 400
    elif refusal := _preview_refusal(request):
        context, status = {"preview_errors": ErrorList([refusal])}, 429
    else:
        context, status = {"preview_html": render_comment(form.cleaned_data["body"]).html}, 200
    if request.htmx and status == 400:  # htmx swaps only 2xx and 429 answers (base.html).
        status = 200
    return render(request, f"{THREAD_TEMPLATE}#preview", context, status=status)


# Changing your own comments ---------------------------------------------------------------------


def _own_comment(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(_comments(request).select_related("thread", "author"), pk=pk)
    if not can_change(request.user, comment):
        raise PermissionDenied("Only its author can change a comment.")
    return comment


@writing_allowed
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    thread = comment.thread
    mode = CommentFormMode.edit(comment)
    initial = {"body": comment.body, "spoilers_for": comment.spoilers_for_id}
    form = mode.form(data=request.POST or None, initial=initial, writer=request.user)
    context = {"thread": thread, "mode": mode, "comment": comment}
    if request.method == "POST":
        if not form.is_valid():
            return _form_invalid(request, form, **context)
        if "preview" in request.POST:
            return _preview(request, form, **context)
        try:
            services.comment_edit(
                comment=comment,
                body=form.cleaned_data["body"],
                spoilers_for=form.cleaned_data["spoilers_for"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return _form_invalid(request, form, **context)
        if request.htmx:
            return comment_partial(request, comment)
        messages.success(request, "Your comment is updated.")
        return redirect(comment)
    context["form"] = form
    if request.htmx:
        context = discussion_context(request, **context)
        return render(request, f"{THREAD_TEMPLATE}#{mode.partial}", context)
    return render(request, FORM_PAGE_TEMPLATE, context)


@writing_allowed
@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    if request.method == "POST":
        services.comment_delete(comment=comment)
        if request.htmx:
            return comment_partial(request, comment)
        messages.success(request, "Your comment is deleted. Replies to it stay in place.")
        return redirect(comment)
    return render(request, "comments/comment_confirm_delete.html", {"comment": comment})


# What the like button asks for: the state the member wants, from the state they saw.
LIKE_WANTED = {"1": True, "0": False}


@posting_allowed
@require_POST
def comment_like(request: HttpRequest, pk: int) -> HttpResponse:
    """Like or unlike (the form's `like` says which; a request without it toggles). Sending
    the same form twice leaves the same state as once."""
    comment = get_object_or_404(_comments(request), pk=pk)
    if is_limited(request.user, "like"):
        refusal = limit_message("like")
        if request.htmx:
            comment.liked = comment.reactions.filter(user=request.user).exists()
            context = {"comment": comment, "can_post": True, "refusal": refusal}
            return render(request, f"{THREAD_TEMPLATE}#like", context, status=429)
        return rate_limited(request, refusal, back=comment.get_absolute_url())
    wanted = LIKE_WANTED.get(request.POST.get("like", ""))
    try:
        if wanted is None:
            liked = services.reaction_toggle(comment=comment, user=request.user)
        else:
            liked = services.reaction_set(comment=comment, user=request.user, liked=wanted)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(comment)
    if request.htmx:
        comment.refresh_from_db(fields=["like_count"])
        comment.liked = liked
        return render(request, f"{THREAD_TEMPLATE}#like", {"comment": comment, "can_post": True})
    return redirect(safe_next(request, comment.get_absolute_url()))


@posting_allowed
@require_http_methods(["GET", "POST"])
def comment_flag(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(_comments(request).select_related("thread", "author"), pk=pk)
    if not comment.is_visible:  # Deleted or removed: nothing left to report, nothing to show.
        raise Http404("This comment is no longer there.")
    if comment.author_id == request.user.pk:
        raise PermissionDenied("You cannot report your own comment.")
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if is_limited(request.user, "flag"):
            form.add_error(None, limit_message("flag"))
            status = 429
        elif form.is_valid():
            services.flag_create(
                comment=comment,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, "Thank you: the moderators will look at this comment.")
            return redirect(comment)
        else:
            status = 400
    return render(
        request, "comments/flag_form.html", {"form": form, "comment": comment}, status=status
    )
