"""Forum URLs under /forums/, plus the site-wide /search/ (forums is the rightmost app, so it may
read courses' pages and its own topics together). Included before Wagtail's catch-all."""

from django.urls import path

from forums import views

app_name = "forums"

urlpatterns = [
    path("search/", views.site_search, name="site_search"),
    path("forums/", views.index, name="index"),
    path("forums/search/", views.forum_search, name="search"),
    path("forums/collaboration/", views.collaboration, name="collaboration"),
    path("forums/mentions/", views.mention_candidates, name="mention_candidates"),
    path("forums/notifications/", views.notifications, name="notifications"),
    path("forums/notifications/read/", views.notifications_read, name="notifications_read"),
    path("forums/settings/", views.email_settings, name="settings"),
    path("forums/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("forums/unsubscribe/<str:token>/one-click/", views.unsubscribe_one_click, name="unsubscribe_one_click"),
    path("forums/moderation/", views.moderation, name="moderation"),
    path("forums/moderation/log/", views.moderation_log, name="moderation_log"),
    path("forums/c/<slug:slug>/", views.category, name="category"),
    path("forums/c/<slug:slug>/new/", views.topic_new, name="topic_new"),
    path("forums/c/<slug:slug>/follow/", views.category_follow, name="category_follow"),
    path("forums/t/<int:topic_id>/", views.topic, name="topic"),
    path("forums/t/<int:topic_id>/unread/", views.topic_unread, name="topic_unread"),
    path("forums/t/<int:topic_id>/reply/", views.topic_reply, name="topic_reply"),
    path("forums/t/<int:topic_id>/accept/", views.topic_accept, name="topic_accept"),
    path("forums/t/<int:topic_id>/follow/", views.topic_follow, name="topic_follow"),
    path("forums/t/<int:topic_id>/moderate/", views.topic_moderate, name="topic_moderate"),
    path("forums/t/<int:topic_id>/move/", views.topic_move, name="topic_move"),
    path("forums/t/<int:topic_id>/merge/", views.topic_merge, name="topic_merge"),
    path("forums/p/<int:post_id>/", views.post_permalink, name="post"),
    path("forums/p/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("forums/p/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("forums/p/<int:post_id>/vote/", views.post_vote, name="post_vote"),
    path("forums/p/<int:post_id>/flag/", views.post_flag, name="post_flag"),
    path("forums/p/<int:post_id>/history/", views.post_history, name="post_history"),
    path("forums/p/<int:post_id>/moderate/", views.post_moderate, name="post_moderate"),
]
