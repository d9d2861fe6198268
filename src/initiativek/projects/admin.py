from django.contrib import admin

from .models import (
    InterestMessage,
    Project,
    ProjectAttachment,
    ProjectGoal,
    ProjectInterest,
    ProjectLink,
    ProjectVersion,
    Tag,
)


class ProjectGoalInline(admin.TabularInline):
    model = ProjectGoal
    extra = 0


class ProjectLinkInline(admin.TabularInline):
    model = ProjectLink
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "status", "publication", "visibility", "updated_at"]
    list_filter = ["status", "publication", "visibility", "reuse_offered", "topics"]
    search_fields = ["title", "summary", "owner__name"]
    raw_id_fields = ["owner", "contact"]
    filter_horizontal = ["partners", "topics", "technologies", "vendors"]
    readonly_fields = ["search_document", "published_at"]
    inlines = [ProjectGoalInline, ProjectLinkInline]
    list_select_related = ["owner"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(ProjectGoal)
class ProjectGoalAdmin(admin.ModelAdmin):
    list_display = ["project", "goal"]
    list_filter = ["goal"]
    search_fields = ["project__title"]


@admin.register(ProjectLink)
class ProjectLinkAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "url"]
    list_filter = ["project__status"]
    search_fields = ["title", "url", "project__title"]


@admin.register(ProjectAttachment)
class ProjectAttachmentAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "content_type", "size", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["title", "original_name", "project__title"]
    readonly_fields = ["file", "content_type", "size", "original_name", "uploaded_by"]

    # Files come in only through the upload pages, which check type and size by content
    # (projects.attachments); the admin could store anything.
    def has_add_permission(self, request):
        return False


@admin.register(ProjectVersion)
class ProjectVersionAdmin(admin.ModelAdmin):
    list_display = ["project", "action", "created_at", "actor"]
    list_filter = ["action"]
    search_fields = ["project__title"]
    readonly_fields = ["project", "action", "actor", "changed_fields", "data"]


class InterestMessageInline(admin.TabularInline):
    model = InterestMessage
    extra = 0


@admin.register(ProjectInterest)
class ProjectInterestAdmin(admin.ModelAdmin):
    list_display = ["project", "organization", "kind", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["project__title", "organization__name"]
    inlines = [InterestMessageInline]


@admin.register(InterestMessage)
class InterestMessageAdmin(admin.ModelAdmin):
    list_display = ["interest", "organization", "created_at"]
    list_filter = ["organization__kind"]
    search_fields = ["text", "interest__project__title"]
