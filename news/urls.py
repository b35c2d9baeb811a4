from django.urls import path

from news import feeds, views

app_name = "news"
urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", feeds.LatestPostsRss(), name="feed"),
    path("atom/", feeds.LatestPostsAtom(), name="atom"),
    path("<int:year>/", views.year_archive, name="year"),
    path("<int:year>/<str:month>/", views.month_archive, name="month"),
    path("<int:year>/<str:month>/<slug:slug>/", views.detail, name="detail"),
]
