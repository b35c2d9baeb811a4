from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("users/<str:username>/", views.profile, name="profile"),
    path("accounts/profile/", views.profile_edit, name="profile-edit"),
    path("accounts/delete/", views.account_delete, name="delete"),
]
