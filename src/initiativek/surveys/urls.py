from django.urls import path

from .views import answering, builder, listing, progress, results

app_name = "surveys"

urlpatterns = [
    path("", listing.questionnaire_list, name="list"),
    path("neu/", builder.questionnaire_create, name="create"),
    path("<slug:slug>/", listing.questionnaire_detail, name="detail"),
    # The team's builder
    path("<slug:slug>/bearbeiten/", builder.questionnaire_edit, name="edit"),
    path("<slug:slug>/veroeffentlichen/", builder.questionnaire_publish, name="publish"),
    path("<slug:slug>/schliessen/", builder.questionnaire_close, name="close"),
    path("<slug:slug>/kopieren/", builder.questionnaire_copy, name="copy"),
    path("<slug:slug>/loeschen/", builder.questionnaire_delete, name="delete"),
    path("<slug:slug>/abschnitte/neu/", builder.section_create, name="section-create"),
    path("<slug:slug>/abschnitte/<int:pk>/", builder.section_edit, name="section-edit"),
    path(
        "<slug:slug>/abschnitte/<int:pk>/loeschen/",
        builder.section_delete,
        name="section-delete",
    ),
    path("<slug:slug>/fragen/neu/", builder.question_create, name="question-create"),
    path("<slug:slug>/fragen/<int:pk>/", builder.question_edit, name="question-edit"),
    path("<slug:slug>/fragen/<int:pk>/loeschen/", builder.question_delete, name="question-delete"),
    path(
        "<slug:slug>/fragen/<int:pk>/schliessen/",
        builder.question_retire,
        name="question-retire",
    ),
    path("<slug:slug>/fragen/<int:pk>/verschieben/", builder.question_move, name="question-move"),
    path("<slug:slug>/vorschau/", answering.questionnaire_preview, name="preview"),
    # Answering
    path("<slug:slug>/antworten/<slug:org_slug>/", answering.response_edit, name="answer"),
    path(
        "<slug:slug>/antworten/<slug:org_slug>/verlauf/",
        answering.response_history,
        name="response-history",
    ),
    path(
        "<slug:slug>/antworten/<slug:org_slug>/zurueckziehen/",
        answering.response_reopen,
        name="response-reopen",
    ),
    # Results, progress and exports
    path("<slug:slug>/ergebnisse/", results.questionnaire_results, name="results"),
    path("<slug:slug>/fortschritt/", progress.questionnaire_progress, name="progress"),
    path("<slug:slug>/fortschritt/erinnern/", progress.questionnaire_remind, name="remind"),
    path("<slug:slug>/export.<str:fmt>", progress.questionnaire_export, name="export"),
]
