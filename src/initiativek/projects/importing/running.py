"""Importing the rows of a table as projects of one organization: all or nothing."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from initiativek.core.services import audit_log
from initiativek.organizations.models import Organization

from .. import permissions, services
from ..forms import ProjectForm
from ..models import Project
from .columns import COLUMN_BY_FIELD, CONVERTERS, KEY_COLUMN, CellProblem, Column, headers_map
from .reading import Table

CREATE, UPDATE, INVALID = "create", "update", "invalid"


@dataclass
class Problem:
    column: str  # the column header; "" for the row as a whole
    message: str


@dataclass
class RowResult:
    number: int
    title: str
    action: str = CREATE
    problems: list[Problem] = field(default_factory=list)
    project: Project | None = None


@dataclass
class ImportReport:
    """What an import did or, in a dry run, would do. ``problems`` concern the whole file."""

    dry_run: bool
    problems: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not any(row.problems for row in self.rows)

    @property
    def imported(self) -> bool:
        return self.ok and not self.dry_run

    def lines(self) -> list[str]:
        """Every problem as one German sentence („Zeile 7, Spalte ‚Stand‘: …“)."""
        lines = list(self.problems)
        for row in self.rows:
            for problem in row.problems:
                if problem.column:
                    lines.append(
                        _("Zeile %(row)s, Spalte ‚%(column)s‘: %(message)s")
                        % {"row": row.number, "column": problem.column, "message": problem.message}
                    )
                else:
                    lines.append(
                        _("Zeile %(row)s: %(message)s")
                        % {"row": row.number, "message": problem.message}
                    )
        return lines


def project_import(*, actor: Any, owner: Organization, table: Table, dry_run: bool) -> ImportReport:
    """Create or update (by ``Kennung``) a project of ``owner`` for every row of ``table``.

    Every row goes through ``ProjectForm`` and the project services, as a typed-in project
    would. All rows run in one transaction, which is rolled back in a dry run and whenever any
    row has a problem: either every row is imported or none. New projects are drafts.
    Raises ``PermissionDenied`` if ``actor`` may not create projects for ``owner``.
    """
    if not permissions.can_create_project_for(actor, owner):
        raise PermissionDenied(_("Sie dürfen für diese Organisation keine Projekte anlegen."))
    report = ImportReport(dry_run=dry_run)
    positions, report.problems = headers_map(table.headers, has_data=table.has_data())
    if report.problems:
        return report
    with transaction.atomic():
        keys: set[str] = set()
        context: dict = {}
        for number, cells in table.rows:
            values = {
                column: cells[position] if position < len(cells) else ""
                for position, column in positions.items()
            }
            report.rows.append(_row_import(actor, owner, number, values, keys, context))
        if report.imported:
            created = sum(1 for row in report.rows if row.action == CREATE)
            audit_log(
                actor=actor,
                action="projects.import.completed",
                obj=owner,
                data={"created": created, "updated": len(report.rows) - created},
            )
        else:
            transaction.set_rollback(True)
    return report


def _row_import(actor, owner, number: int, values: dict[Column, str], keys: set, context: dict):
    by_header = {column.header: value for column, value in values.items()}
    result = RowResult(number=number, title=by_header.get("Titel", ""))
    project = _project_for_key(owner, by_header.get(KEY_COLUMN, ""), keys, result)
    data = _form_data(owner, project, values, context, result)
    form = ProjectForm(data, owner=owner, instance=project)
    if not form.is_valid() or result.problems:
        # The form still checks the other cells, so that every problem of the row shows at once.
        flagged = {problem.column for problem in result.problems}
        _problems_from_errors(form, form.errors.as_data(), result, skip=flagged)
        return result
    model_data, relations = form.split()
    try:
        with transaction.atomic():
            if project is None:
                result.project = services.project_create(
                    actor=actor, owner=owner, data=model_data, relations=relations
                )
            else:
                result.project = services.project_update(
                    project=project, actor=actor, data=model_data, relations=relations
                )
    except ValidationError as exc:
        errors = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
        _problems_from_errors(form, errors, result)
    return result


def _project_for_key(owner, key: str, keys: set, result: RowResult) -> Project | None:
    if not key:
        return None
    if key in keys:
        result.problems.append(
            Problem(
                KEY_COLUMN,
                _("Die Kennung ‚%(key)s‘ steht schon in einer früheren Zeile.") % {"key": key},
            )
        )
        return None
    keys.add(key)
    # Only the organization's own projects: another's project reads as unknown, not forbidden.
    project = Project.objects.filter(owner=owner, slug=key).first()
    if project is None:
        result.problems.append(
            Problem(
                KEY_COLUMN,
                _("Ihre Organisation hat kein Projekt mit der Kennung ‚%(key)s‘.") % {"key": key},
            )
        )
    else:
        result.action = UPDATE
    return project


def _form_data(owner, project, values: dict[Column, str], context: dict, result: RowResult):
    """What the browser would send: the project's current values (nothing for a new one),
    overwritten by the row's cells. Columns missing from the file leave a value unchanged."""
    data = _current_values(owner, project) if project else {"visibility": ["public"]}
    for column, value in values.items():
        if not column.field:
            continue
        try:
            converted = CONVERTERS[column.field](value, context)
        except CellProblem as problem:
            result.problems.append(Problem(column.header, str(problem)))
            continue
        if converted is not None:
            data[column.field] = converted
    return MultiValueDict(data)


def _current_values(owner, project: Project) -> dict[str, list[str]]:
    form = ProjectForm(owner=owner, instance=project)
    data: dict[str, list[str]] = {}
    for name in form.fields:
        value = form[name].value()
        if name == "version" or value is None or value is False:
            continue
        if value is True:
            value = "on"
        if isinstance(value, date):
            value = value.strftime("%Y-%m")
        values = value if isinstance(value, list | tuple) else [value]
        data[name] = [str(item) for item in values]
    return data


def _problems_from_errors(form, errors: dict, result: RowResult, skip: frozenset = frozenset()):
    result.action = INVALID
    for name, error_list in errors.items():
        column = COLUMN_BY_FIELD.get(name)
        if column is not None:
            header = column.header
        elif name in form.fields:  # a value the file does not set, e.g. an outdated contact
            header = str(form.fields[name].label)
        else:
            header = ""
        if header in skip:
            continue
        for error in error_list:
            for message in error.messages if hasattr(error, "messages") else [str(error)]:
                result.problems.append(Problem(header, message))
