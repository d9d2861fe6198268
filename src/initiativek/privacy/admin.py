from django.contrib import admin

from .models import ConsentRecord, ConsentText


class ReadOnlyAdmin(admin.ModelAdmin):
    """Consent records are evidence: nobody edits them by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsentText)
class ConsentTextAdmin(ReadOnlyAdmin):
    list_display = ["purpose", "version", "language", "sha256", "created_at"]
    list_filter = ["purpose", "version", "language"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ["purpose", "user", "email", "given_at", "withdrawn_at", "source"]
    list_filter = ["purpose", "source", "withdrawn_at"]
    search_fields = ["email", "user__email", "user__name"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "registration", "response"]
