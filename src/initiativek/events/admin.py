from django.contrib import admin

from .models import (
    CalendarFeed,
    ClosingStatement,
    Event,
    EventSeries,
    ProgramItem,
    ProgramMaterial,
    ProgramPerson,
    Registration,
    Speaker,
)


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    list_filter = ["events__format"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ProgramItemInline(admin.TabularInline):
    model = ProgramItem
    extra = 0
    fields = ["position", "starts_at", "ends_at", "kind", "title"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "format", "status", "series"]
    list_filter = ["status", "format", "series", "waitlist_mode"]
    search_fields = ["title", "summary", "venue"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["hosts", "partners", "topics"]
    date_hierarchy = "starts_at"
    inlines = [ProgramItemInline]


class ProgramPersonInline(admin.TabularInline):
    model = ProgramPerson
    extra = 0
    raw_id_fields = ["speaker"]


@admin.register(ProgramItem)
class ProgramItemAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "kind", "starts_at"]
    list_filter = ["kind"]
    search_fields = ["title", "event__title"]
    filter_horizontal = ["projects"]
    inlines = [ProgramPersonInline]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "function", "organization"]
    list_filter = ["organization__kind"]
    search_fields = ["name", "function", "organization__name", "organization_name"]
    raw_id_fields = ["organization"]


@admin.register(ProgramPerson)
class ProgramPersonAdmin(admin.ModelAdmin):
    list_display = ["speaker", "item", "role"]
    list_filter = ["role"]
    search_fields = ["speaker__name", "item__title"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "event", "mode", "status", "created_at"]
    list_filter = ["status", "mode", "event"]
    search_fields = ["name", "email", "event__title"]
    raw_id_fields = ["user", "organization", "event"]
    readonly_fields = ["token", "privacy_consent_at", "privacy_text_version", "queued_at"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["user__email"]
    readonly_fields = ["token"]


@admin.register(ProgramMaterial)
class ProgramMaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "item", "content_type", "size", "created_at"]
    list_filter = ["content_type", "created_at"]
    search_fields = ["title", "original_name", "item__title", "item__event__title"]
    raw_id_fields = ["item", "uploaded_by"]
    readonly_fields = ["file", "content_type", "size", "original_name"]

    # Files come in only through the upload pages, which check type and size by content
    # (projects.attachments); the admin could store anything.
    def has_add_permission(self, request):
        return False


@admin.register(ClosingStatement)
class ClosingStatementAdmin(admin.ModelAdmin):
    list_display = ["organization", "event", "created_at"]
    list_filter = ["event__series", "created_at"]
    search_fields = ["text", "organization__name", "event__title"]
    raw_id_fields = ["event", "organization", "created_by"]
