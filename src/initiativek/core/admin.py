from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    AccessibilityFeedback,
    AuditEntry,
    Notification,
    NotificationPreference,
    OutgoingMail,
    Topic,
)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "object_repr", "actor"]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "object_repr", "actor__email"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """Read-only view of the outbox for site admins; texts of sensitive mails stay hidden."""

    list_display = ["created_at", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "sensitive"]
    search_fields = ["subject", "to"]
    fields = ["created_at", "to", "subject", "body", "status", "attempts", "last_error", "sent_at"]
    readonly_fields = fields

    @admin.display(description=_("Text"))
    def body(self, obj):
        return _("(vertraulich)") if obj.sensitive else obj.body_text

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "page_url", "email", "handled"]
    list_filter = ["handled"]
    search_fields = ["message", "page_url", "email", "name"]
    readonly_fields = ["created_at", "name", "email", "page_url", "message"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    list_filter = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "text", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["text", "user__email"]
    raw_id_fields = ["user"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email"]
    list_filter = ["kind", "email"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
