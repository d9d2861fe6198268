"""Site admin views – read-only. Questionnaires are built on the platform's own pages (the
builder keeps the rules for questionnaires with answers, responses keep their history); the
admin is for looking things up, so it can't bypass those rules."""

from django.contrib import admin

from .models import Answer, Choice, Question, Questionnaire, Response, ResponseChange, Section


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class SectionInline(ReadOnlyInline):
    model = Section
    extra = 0
    fields = ["position", "title"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "is_template", "opens_on", "closes_on"]
    list_filter = ["status", "is_template"]
    search_fields = ["title", "introduction"]
    raw_id_fields = ["event", "created_by"]
    inlines = [SectionInline]


class ChoiceInline(ReadOnlyInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["text", "key", "kind", "required", "is_retired", "questionnaire"]
    list_filter = ["kind", "required", "is_retired", "questionnaire"]
    search_fields = ["text", "key", "help_text"]
    raw_id_fields = ["questionnaire", "section"]
    inlines = [ChoiceInline]


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "questionnaire", "position"]
    list_filter = ["questionnaire"]
    search_fields = ["title", "description"]


class AnswerInline(ReadOnlyInline):
    model = Answer
    extra = 0
    fields = ["question", "number_value", "bool_value", "text_value", "other_text"]
    readonly_fields = fields
    can_delete = False


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["organization", "questionnaire", "status", "submitted_at", "updated_at"]
    list_filter = ["status", "questionnaire", "consent_named_text", "consent_contact", "is_demo"]
    search_fields = ["organization__name", "questionnaire__title"]
    raw_id_fields = ["organization", "submitted_by", "updated_by"]
    inlines = [AnswerInline]


@admin.register(ResponseChange)
class ResponseChangeAdmin(ReadOnlyAdmin):
    list_display = ["response", "action", "user", "created_at"]
    list_filter = ["action"]
    search_fields = ["response__organization__name", "user__email"]
    raw_id_fields = ["response", "user"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["response", "question"]
    list_filter = ["question__kind", "response__questionnaire"]
    search_fields = ["response__organization__name", "question__key", "text_value"]
    raw_id_fields = ["response", "question"]
    filter_horizontal = ["choices"]


@admin.register(Choice)
class ChoiceAdmin(ReadOnlyAdmin):
    list_display = ["label", "question", "position"]
    list_filter = ["question__questionnaire"]
    search_fields = ["label", "question__text"]
    raw_id_fields = ["question"]
