from django.contrib import admin

from .models import (
    ContactPerson,
    Invitation,
    Membership,
    MembershipApplication,
    Organization,
    Region,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "level", "code", "population", "parent"]
    list_filter = ["level", "code"]
    search_fields = ["key", "name", "official_name", "ars"]
    raw_id_fields = ["parent", "association"]
    list_select_related = ["parent"]


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ags", "is_member", "member_since", "source"]
    list_filter = ["is_member", "kind", "source"]
    search_fields = ["name", "ags", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["region", "parent"]
    inlines = [ContactPersonInline, MembershipInline]


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ["name", "function", "organization", "visibility"]
    list_filter = ["visibility", "email_visibility", "phone_visibility"]
    search_fields = ["name", "function", "organization__name"]
    raw_id_fields = ["organization"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "organization__name"]
    raw_id_fields = ["user", "organization"]


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "organization_name", "status", "created_at", "decided_at"]
    list_filter = ["status", "new_organization_kind"]
    search_fields = ["applicant__email", "organization__name", "new_organization_name"]
    raw_id_fields = ["applicant", "organization", "decided_by"]
    list_select_related = ["applicant", "organization"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "organization__name"]
    raw_id_fields = ["organization", "invited_by", "accepted_by"]
    readonly_fields = ["token"]
