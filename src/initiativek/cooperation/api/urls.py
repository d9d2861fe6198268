"""Included by the API composition under ``/api/v1/``."""

from django.urls import path

from .views import RecommendationListView

urlpatterns = [
    path("recommendations/", RecommendationListView.as_view(), name="recommendation-list"),
]
