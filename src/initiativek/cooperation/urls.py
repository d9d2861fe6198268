from django.urls import path

from .views import proposals, recommendations, statements

app_name = "cooperation"

urlpatterns = [
    path("", proposals.proposal_list, name="list"),
    path("neu/", proposals.proposal_create, name="create"),
    path("empfehlungen/", recommendations.recommendation_list, name="recommendations"),
    path("empfehlungen/ausblenden/", recommendations.dismiss, name="dismiss"),
    path("empfehlungen/ausgeblendet/", recommendations.dismissed_list, name="dismissed"),
    path("nachfassen/", statements.followup_list, name="followup"),
    path("aus-statement/<int:pk>/", statements.proposal_from_statement, name="from-statement"),
    path("<slug:slug>/", proposals.proposal_detail, name="detail"),
    path("<slug:slug>/bearbeiten/", proposals.proposal_edit, name="edit"),
    path("<slug:slug>/status/", proposals.proposal_status, name="status"),
    path("<slug:slug>/beitreten/", proposals.join_request_create, name="join"),
    path("<slug:slug>/anfragen/<int:pk>/", proposals.join_request_decide, name="join-decide"),
    path(
        "<slug:slug>/anfragen/<int:pk>/zurueckziehen/",
        proposals.join_request_withdraw,
        name="join-withdraw",
    ),
    path("<slug:slug>/beitraege/", proposals.post_create, name="post-create"),
    path("<slug:slug>/verlassen/", proposals.proposal_leave, name="leave"),
]
