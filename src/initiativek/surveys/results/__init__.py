"""Results of the experience exchange (SPEC §6, issue 5 item 4).

``aggregate`` computes – in a fixed number of GROUP BY queries – and caches what doesn't depend
on the viewer; ``suppression`` decides per request which groups may be shown (small groups, and
those that would give a small one away by subtraction); ``compose`` applies that and highlights
the viewer's own answer. Views call ``results_for_viewer`` and ``results_question``.
"""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator

from ..models import Questionnaire
from . import queries
from .aggregate import (
    Aggregate,
    aggregate_compute,
    contacts_by_bucket,
    results_aggregate,
    text_entry,
)
from .compose import ContactOption, QuestionView, contact_names_html, question_view
from .page import ResultsPage, results_page
from .viewer import viewer_for

__all__ = [
    "Aggregate",
    "QuestionDetail",
    "ResultsPage",
    "aggregate_compute",
    "results_aggregate",
    "results_for_viewer",
    "results_question",
]

TEXTS_PER_PAGE = 50


def results_for_viewer(
    *, questionnaire: Questionnaire, user: Any, group_key: str = "", org_slug: str = ""
) -> ResultsPage:
    """The results page: the cached aggregate in the group ``group_key`` (unknown: all),
    highlighting the answer of the viewer's organization ``org_slug`` (unknown: the first)."""
    aggregate = results_aggregate(questionnaire=questionnaire)
    viewer = viewer_for(user=user, questionnaire=questionnaire, org_slug=org_slug)
    return results_page(
        questionnaire=questionnaire, aggregate=aggregate, viewer=viewer, group_key=group_key
    )


@dataclass
class QuestionDetail:
    page: ResultsPage
    question: QuestionView
    texts: Page | None  # all texts, paginated; None while withheld (too few answers)


def results_question(
    *,
    questionnaire: Questionnaire,
    user: Any,
    question_key: str,
    group_key: str = "",
    org_slug: str = "",
    page_number: str | None = None,
) -> QuestionDetail | None:
    """One question with all its texts (paginated) and everyone who agreed to be contacted;
    None if the questionnaire has no question ``question_key``."""
    aggregate = results_aggregate(questionnaire=questionnaire)
    meta = next((m for m in aggregate.questions.values() if m.key == question_key), None)
    if meta is None:
        return None
    viewer = viewer_for(user=user, questionnaire=questionnaire, org_slug=org_slug)
    page = results_page(
        questionnaire=questionnaire,
        aggregate=aggregate,
        viewer=viewer,
        group_key=group_key,
        with_questions=False,
    )
    view = question_view(meta, aggregate, page.group, viewer, page.visibility)
    full = contacts_by_bucket(
        queries.contact_rows(questionnaire, limit=None, question_id=meta.pk)
    ).get(meta.pk, {})
    shown, view.contacts = view.contacts, []
    for option in shown:
        contacts = full.get(option.key, option.contacts)
        view.contacts.append(
            ContactOption(
                option.key,
                option.label,
                contacts,
                option.is_own,
                contact_names_html(contacts.organizations),
            )
        )
    texts = None
    if not view.texts_hidden and page.enough:
        rows = queries.text_answers(questionnaire).filter(question_id=meta.pk)
        texts = Paginator(rows, TEXTS_PER_PAGE).get_page(page_number)
        texts.object_list = [text_entry(row) for row in texts.object_list]
    return QuestionDetail(page=page, question=view, texts=texts)
