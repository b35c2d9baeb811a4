from django.urls import path

from comments import following_views, moderation_views, notification_views, spoiler_views, views

app_name = "comments"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.thread_new, name="thread-new"),
    path("new/<str:kind>/<slug:slug>/", views.thread_new, name="thread-new-about"),
    path("<int:pk>-<slug:slug>/", views.thread_detail, name="thread"),
    path("<int:pk>/comment/", views.comment_create, name="comment-create"),
    path("<int:pk>/follow/", notification_views.thread_follow, name="follow"),
    path("<int:pk>/lock/", moderation_views.thread_lock, name="lock"),
    path("<int:pk>/pin/", moderation_views.thread_pin, name="pin"),
    path("<int:pk>/move/", moderation_views.thread_move, name="move"),
    path("post/<int:pk>/comment/", views.post_comment, name="post-comment"),
    path("post/<int:pk>/follow/", notification_views.post_follow, name="post-follow"),
    path("comment/<int:pk>/", views.permalink, name="permalink"),
    path("comment/<int:pk>/replies/", views.comment_replies, name="replies"),
    path("comment/<int:pk>/reply/", views.comment_reply, name="reply"),
    path("comment/<int:pk>/edit/", views.comment_edit, name="edit"),
    path("comment/<int:pk>/delete/", views.comment_delete, name="delete"),
    path("comment/<int:pk>/like/", views.comment_like, name="like"),
    path("comment/<int:pk>/flag/", views.comment_flag, name="flag"),
    path("comment/<int:pk>/remove/", moderation_views.comment_remove, name="remove"),
    path("preview/", views.preview, name="preview"),
    path("films/<int:film_id>/seen/", spoiler_views.film_seen, name="film-seen"),
    path("notifications/", notification_views.notifications, name="notifications"),
    path("following/", following_views.following_page, name="following"),
    path("following/email/", following_views.email_choices, name="email-choices"),
    path(
        "follow/<str:kind>/<slug:slug>/",
        following_views.subject_follow,
        name="follow-subject",
    ),
    path("notifications/read/", notification_views.notifications_read, name="notifications-read"),
    path("notifications/badge/", notification_views.notification_badge, name="notification-badge"),
    path("notifications/<int:pk>/", notification_views.notification_open, name="notification-open"),
    path("moderation/", moderation_views.queue, name="moderation"),
    path("moderation/log/", moderation_views.audit_log, name="audit-log"),
    path(
        "moderation/comment/<int:pk>/",
        moderation_views.comment_review,
        name="moderation-comment",
    ),
    path(
        "moderation/discussion/<int:pk>/",
        moderation_views.thread_moderation,
        name="moderation-thread",
    ),
    path("moderation/members/", moderation_views.members, name="moderation-members"),
    path(
        "moderation/members/<str:username>/",
        moderation_views.member,
        name="moderation-member",
    ),
    path(
        "moderation/members/<str:username>/suspend/",
        moderation_views.member_suspend,
        name="suspend",
    ),
    path(
        "moderation/suspensions/<int:pk>/lift/",
        moderation_views.suspension_lift,
        name="suspension-lift",
    ),
    path("flags/<int:pk>/resolve/", moderation_views.flag_resolve, name="flag-resolve"),
    path("unsubscribe/<str:token>/", notification_views.unsubscribe, name="unsubscribe"),
]
