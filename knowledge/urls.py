from django.urls import path

from knowledge import views

app_name = "knowledge"

# /kb/
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("review/", views.review_queue, name="review"),
    path("drafts/", views.drafts, name="drafts"),
    path("c/<str:slug>/", views.collection, name="collection"),
    path("t/<str:slug>/", views.tag, name="tag"),
    path("a/<str:slug>/", views.article, name="article"),
    path("a/<str:slug>/edit/", views.edit, name="edit"),
    path("a/<str:slug>/history/", views.history, name="history"),
    path("a/<str:slug>/restore/<int:number>/", views.restore, name="restore"),
    path("a/<str:slug>/publish/", views.publish, name="publish"),
    path("a/<str:slug>/archive/", views.archive, name="archive"),
    path("a/<str:slug>/verify/", views.verify, name="verify"),
    path("from-thread/<int:thread_id>/", views.from_thread, name="from-thread"),
    path("from-chat/", views.from_chat, name="from-chat"),
]
