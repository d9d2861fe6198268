"""Writes of the team's questionnaire builder: questionnaires, sections, questions, choices.

Every function is for the initiative team only (``permissions.can_manage_questionnaires``,
PermissionDenied otherwise), runs in one transaction and locks the questionnaire row first.
``services.response_save`` locks the same row, so whether a questionnaire "has answers" can't
change while a change of its questions is being checked. Every change bumps
``results_version`` (the cache key of the results).

The rule of the experience exchange: once a questionnaire has answers, questions can't be
deleted, can't change their kind or key, choices can't be removed, "Sonstiges" can't be switched
off while an answer uses it, a number range can't shrink past stored answers, and sections
holding questions can't be deleted. Questions and choices can still be added, texts corrected,
and questions retired ("geschlossen": no longer asked, their answers kept) and reopened. A
refusal is a ValidationError that says why and what to do instead.
"""

from .common import (
    ChoiceSpec,
    question_answer_counts,
    question_delete_refusal,
    question_key_pick,
    questionnaire_slug_pick,
    respondent_count,
    section_delete_refusal,
)
from .questionnaires import (
    questionnaire_close,
    questionnaire_copy,
    questionnaire_create,
    questionnaire_delete,
    questionnaire_publish,
    questionnaire_publish_problems,
    questionnaire_update,
    section_create,
    section_delete,
    section_move,
    section_update,
)
from .questions import (
    choices_update,
    question_create,
    question_delete,
    question_move,
    question_retire,
    question_update,
)

__all__ = [
    "ChoiceSpec",
    "choices_update",
    "question_answer_counts",
    "question_create",
    "question_delete",
    "question_delete_refusal",
    "question_key_pick",
    "question_move",
    "question_retire",
    "question_update",
    "questionnaire_close",
    "questionnaire_copy",
    "questionnaire_create",
    "questionnaire_delete",
    "questionnaire_publish",
    "questionnaire_publish_problems",
    "questionnaire_slug_pick",
    "questionnaire_update",
    "respondent_count",
    "section_create",
    "section_delete",
    "section_delete_refusal",
    "section_move",
    "section_update",
]
