from django.urls import path

from films import views

app_name = "films"
urlpatterns = [
    path("films/", views.index, name="index"),
    path("films/<slug:slug>/", views.film_detail, name="detail"),
    path("films/<slug:slug>/cast/", views.film_cast, name="cast"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("characters/<slug:slug>/", views.character_detail, name="character-detail"),
]
