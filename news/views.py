import calendar
import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from news.models import Post
from news.structured_data import post_json_ld

POSTS_PER_PAGE = 12


def _page(request: HttpRequest, posts: QuerySet[Post]) -> Page:
    return Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))


def _check_year(year: int) -> None:
    """Years a date can hold; the database lookups raise outside them."""
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise Http404("No such year.")


def _month_number(month: str) -> int:
    """The month from a two-digit URL part ("02"); anything else is not a page of ours."""
    if len(month) != 2 or not month.isdigit() or not 1 <= int(month) <= 12:
        raise Http404("No such month.")
    return int(month)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    page = _page(request, Post.objects.published().for_index())
    years = Post.objects.published().dates("published_at", "year", order="DESC")
    context = {"page_obj": page, "posts": page.object_list, "years": years}
    return render(request, "news/index.html", context)


@require_safe
def year_archive(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    posts = Post.objects.published().filter(published_at__year=year).for_index()
    page = _page(request, posts)
    if not page.object_list:
        raise Http404("No news that year.")
    months = (
        Post.objects.published()
        .filter(published_at__year=year)
        .dates("published_at", "month", order="DESC")
    )
    context = {"page_obj": page, "posts": page.object_list, "year": year, "months": months}
    return render(request, "news/archive_year.html", context)


@require_safe
def month_archive(request: HttpRequest, year: int, month: str) -> HttpResponse:
    _check_year(year)
    number = _month_number(month)
    posts = Post.objects.published().filter(published_at__year=year, published_at__month=number)
    page = _page(request, posts.for_index())
    if not page.object_list:
        raise Http404("No news that month.")
    context = {
        "page_obj": page,
        "posts": page.object_list,
        "year": year,
        "month_name": calendar.month_name[number],
    }
    return render(request, "news/archive_month.html", context)


def _neighbours(post: Post) -> tuple[Post | None, Post | None]:
    """The published posts just older and just newer, in the index's order (ties by id)."""
    published = Post.objects.published().only("title", "slug", "published_at", "created_at")
    when = post.published_at
    older = published.filter(Q(published_at__lt=when) | Q(published_at=when, pk__lt=post.pk))
    newer = published.filter(Q(published_at__gt=when) | Q(published_at=when, pk__gt=post.pk))
    return (
        older.order_by("-published_at", "-pk").first(),
        newer.order_by("published_at", "pk").first(),
    )


@require_safe
def detail(request: HttpRequest, year: int, month: str, slug: str) -> HttpResponse:
    _month_number(month)
    post = get_object_or_404(Post.objects.visible_to(request.user).for_detail(), slug=slug)
    canonical = post.get_absolute_url()
    if request.path != canonical:
        return redirect(canonical, permanent=post.is_published())
    previous_post = next_post = None
    if post.is_published():
        previous_post, next_post = _neighbours(post)
    context = {
        "post": post,
        "previous_post": previous_post,
        "next_post": next_post,
        "json_ld": post_json_ld(post, request),
    }
    return render(request, "news/detail.html", context)
