from django.urls import path

from comments import views

app_name = "comments"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.thread_new, name="thread-new"),
    path("new/<str:kind>/<slug:slug>/", views.thread_new, name="thread-new-about"),
    path("<int:pk>-<slug:slug>/", views.thread_detail, name="thread"),
    path("<int:pk>/comment/", views.comment_create, name="comment-create"),
    path("<int:pk>/follow/", views.thread_follow, name="follow"),
    path("<int:pk>/lock/", views.thread_lock, name="lock"),
    path("comment/<int:pk>/", views.permalink, name="permalink"),
    path("comment/<int:pk>/reply/", views.comment_reply, name="reply"),
    path("comment/<int:pk>/edit/", views.comment_edit, name="edit"),
    path("comment/<int:pk>/delete/", views.comment_delete, name="delete"),
    path("comment/<int:pk>/like/", views.comment_like, name="like"),
    path("comment/<int:pk>/flag/", views.comment_flag, name="flag"),
    path("comment/<int:pk>/remove/", views.comment_remove, name="remove"),
    path("preview/", views.preview, name="preview"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("notifications/badge/", views.notification_badge, name="notification-badge"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
    path("moderation/", views.moderation, name="moderation"),
    path("flags/<int:pk>/resolve/", views.flag_resolve, name="flag-resolve"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
