from django.urls import path

from accounts import views

# Deleting an account and taking one's data reach into every app, so their views are the
# site's (fansite.views); fansite.urls adds them to this namespace: accounts:delete, :export.
app_name = "accounts"
urlpatterns = [
    path("users/<str:username>/", views.profile, name="profile"),
    path("accounts/profile/", views.profile_edit, name="profile-edit"),
]
