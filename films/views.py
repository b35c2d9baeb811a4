from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from films.models import Character, Film, Person
from films.returning import who_is_returning
from films.structured_data import film_json_ld, person_json_ld


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    films = Film.objects.for_index()
    return render(request, "films/index.html", {"films": films})


@require_safe
def film_detail(request: HttpRequest, slug: str) -> HttpResponse:
    film = get_object_or_404(Film.objects.for_detail(), slug=slug)
    context = {
        "film": film,
        "returning": who_is_returning(film) if film.sequel_to_id else [],
        "json_ld": film_json_ld(film, request),
    }
    return render(request, "films/film_detail.html", context)


@require_safe
def film_cast(request: HttpRequest, slug: str) -> HttpResponse:
    film = get_object_or_404(Film.objects.for_cast(), slug=slug)
    return render(request, "films/film_cast.html", {"film": film})


@require_safe
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person.objects.for_detail(), slug=slug)
    context = {"person": person, "json_ld": person_json_ld(person, request)}
    return render(request, "films/person_detail.html", context)


@require_safe
def character_detail(request: HttpRequest, slug: str) -> HttpResponse:
    character = get_object_or_404(Character.objects.for_detail(), slug=slug)
    context = {"character": character, "sequels_without_news": character.sequels_without_news()}
    return render(request, "films/character_detail.html", context)
