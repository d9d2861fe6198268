from django.urls import path

from . import views

urlpatterns = [
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("goals/", views.GoalListView.as_view(), name="goal-list"),
    path("goals/<str:id>/", views.GoalDetailView.as_view(), name="goal-detail"),
]
