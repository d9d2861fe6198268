"""Included by the API composition under ``/api/v1/``."""

from django.urls import path

from .views import QuestionnaireListView, QuestionnaireResultsView

urlpatterns = [
    path("questionnaires/", QuestionnaireListView.as_view(), name="questionnaire-list"),
    path(
        "questionnaires/<slug:slug>/results/",
        QuestionnaireResultsView.as_view(),
        name="questionnaire-results",
    ),
]
