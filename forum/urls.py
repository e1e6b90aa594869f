from django.urls import path

from forum import views

app_name = "forum"

urlpatterns = [
    # /forum/
    path("", views.index, name="index"),
    path("new/", views.thread_new, name="thread-new"),
    path("preview/", views.preview, name="preview"),
    path("similar/", views.similar, name="similar"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/log/", views.moderation_log, name="moderation-log"),
    # /forum/c/<slug>/
    path("c/<slug:slug>/", views.category, name="category"),
    path("c/<slug:slug>/subscription/", views.category_subscription, name="category-subscription"),
    # /forum/t/<id>/
    path("t/<int:pk>/", views.thread_redirect, name="thread-short"),
    path("t/<int:pk>/chunk/", views.thread_chunk, name="thread-chunk"),
    path("t/<int:pk>/subscription/", views.thread_subscription, name="thread-subscription"),
    path("t/<int:pk>/moderate/", views.thread_moderate, name="thread-moderate"),
    path("t/<int:pk>/unaccept/", views.unaccept, name="unaccept"),
    path("t/<int:pk>/<str:slug>/", views.thread, name="thread"),
    # /forum/p/<id>/
    path("p/<int:pk>/", views.post, name="post"),
    path("p/<int:pk>/fragment/", views.post_fragment, name="post-fragment"),
    path("p/<int:pk>/reply/", views.reply, name="reply"),
    path("p/<int:pk>/edit/", views.edit, name="edit"),
    path("p/<int:pk>/delete/", views.delete, name="delete"),
    path("p/<int:pk>/revisions/", views.revisions, name="revisions"),
    path("react/", views.react, name="react"),
    path("p/<int:pk>/accept/", views.accept, name="accept"),
    path("p/<int:pk>/flag/", views.flag, name="flag"),
    path("p/<int:pk>/moderate/", views.post_moderate, name="post-moderate"),
]
