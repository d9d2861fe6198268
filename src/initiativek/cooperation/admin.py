"""Site admin for the cooperation exchange – for looking things up and moderating.

Proposals, requests and members change through the platform's pages, whose services keep the
rules (status transitions, one pending request, notifications); here they are read-only.
The team may delete a post or a whole proposal (moderation)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from initiativek.organizations import permissions as org_permissions

from .matching import SIGNALS
from .models import (
    CooperationMember,
    CooperationPost,
    CooperationProposal,
    JoinRequest,
    MatchWeights,
    RecommendationDismissal,
    StatementFollowUp,
)
from .recommendations.config import effective_match_weights


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MemberInline(ReadOnlyInline):
    model = CooperationMember
    fields = ["organization", "role", "joined_at"]


@admin.register(CooperationProposal)
class CooperationProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "initiator", "status", "created_at", "closed_at"]
    list_filter = ["status", "topics", "created_at"]
    search_fields = ["title", "summary", "description", "initiator__name"]
    raw_id_fields = ["initiator", "created_by", "source_statement"]
    date_hierarchy = "created_at"
    inlines = [MemberInline]


@admin.register(CooperationMember)
class CooperationMemberAdmin(ReadOnlyAdmin):
    list_display = ["organization", "proposal", "role", "joined_at"]
    list_filter = ["role", "proposal__status"]
    search_fields = ["organization__name", "proposal__title"]
    raw_id_fields = ["proposal", "organization"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdmin):
    list_display = ["organization", "proposal", "status", "created_at", "decided_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["organization__name", "proposal__title", "message", "decision_note"]
    raw_id_fields = ["proposal", "organization", "requested_by", "decided_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CooperationPost)
class CooperationPostAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "organization", "author", "created_at"]
    list_filter = ["created_at", "proposal__status"]
    search_fields = ["text", "proposal__title", "organization__name", "author__email"]
    raw_id_fields = ["proposal", "organization", "author"]


@admin.register(RecommendationDismissal)
class RecommendationDismissalAdmin(ReadOnlyAdmin):
    list_display = ["organization", "other", "reason", "created_at"]
    list_filter = ["reason", "created_at"]
    search_fields = ["organization__name", "other__name"]
    raw_id_fields = ["organization", "other", "created_by"]


@admin.register(StatementFollowUp)
class StatementFollowUpAdmin(ReadOnlyAdmin):
    list_display = ["statement", "reminded_at", "reminded_by"]
    list_filter = ["reminded_at"]
    search_fields = ["statement__text", "statement__organization__name", "statement__event__title"]
    raw_id_fields = ["statement", "reminded_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MatchWeights)
class MatchWeightsAdmin(admin.ModelAdmin):
    """The team sets the weights of the partner recommendations here (one row). The model's
    ``clean()`` checks them with the engine, so nothing invalid is stored; the next request
    rebuilds the index with them (no restart)."""

    fields = [*SIGNALS, "effective", "updated_at", "updated_by"]
    readonly_fields = ["effective", "updated_at", "updated_by"]
    list_display = ["__str__", "updated_at", "updated_by"]
    # One row: search and filter only to be like every other admin page.
    search_fields = ["updated_by__email", "updated_by__name"]
    list_filter = ["updated_at"]

    @admin.display(description=_("zurzeit wirksam"))
    def effective(self, obj) -> str:
        weights = effective_match_weights()
        return ", ".join(f"{name} = {value:g}" for name, value in weights.as_dict().items())

    def has_module_permission(self, request) -> bool:
        return org_permissions.is_team(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return org_permissions.is_team(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return org_permissions.is_team(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return org_permissions.is_team(request.user)

    def has_add_permission(self, request) -> bool:
        if not org_permissions.is_team(request.user):
            return False
        return not MatchWeights.objects.exists()

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
