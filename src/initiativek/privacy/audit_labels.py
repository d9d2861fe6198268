"""German labels of the audit log's action codes (``core.services.audit_log``).

Every code written anywhere in the code base has a label here; a test checks that, so a new
action shows up readable on the team's log page (unknown codes are shown as they are).
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # Accounts
    "accounts.api_token.created": _("API-Schlüssel angelegt"),
    "accounts.api_token.revoked": _("API-Schlüssel widerrufen"),
    "accounts.user.profile_changed": _("Profil geändert"),
    "accounts.user.data_exported": _("Eigene Daten heruntergeladen"),
    "accounts.user.deleted": _("Konto gelöscht"),
    "privacy.consent.withdrawn": _("Einwilligung widerrufen"),
    # Organizations and memberships
    "organizations.organization.created": _("Organisation angelegt"),
    "organizations.organization.changed": _("Organisationsprofil geändert"),
    "organizations.organization.joined": _("Organisation wurde Mitglied"),
    "organizations.directory.imported": _("Gemeindeverzeichnis importiert"),
    "organizations.application.submitted": _("Mitgliedschaft beantragt"),
    "organizations.application.approved": _("Mitgliedschaftsantrag angenommen"),
    "organizations.application.rejected": _("Mitgliedschaftsantrag abgelehnt"),
    "organizations.application.withdrawn": _("Mitgliedschaftsantrag zurückgezogen"),
    "organizations.invitation.created": _("Person eingeladen"),
    "organizations.invitation.revoked": _("Einladung zurückgezogen"),
    "organizations.invitation.accepted": _("Einladung angenommen"),
    "organizations.membership.role_changed": _("Rolle geändert"),
    "organizations.membership.removed": _("Person aus Organisation entfernt"),
    # Projects
    "projects.project.created": _("Projekt angelegt"),
    "projects.project.changed": _("Projekt geändert"),
    "projects.project.published": _("Projekt veröffentlicht"),
    "projects.project.unpublished": _("Projekt zurück in Entwurf"),
    "projects.project.archived": _("Projekt archiviert"),
    "projects.attachment.added": _("Anhang hochgeladen"),
    "projects.attachment.deleted": _("Anhang gelöscht"),
    "projects.import.completed": _("Projekte importiert"),
    "projects.interest.declared": _("Interesse an Projekt bekundet"),
    "projects.interest.updated": _("Interesse an Projekt geändert"),
    "projects.interest.replied": _("Auf Interesse geantwortet"),
    # Events
    "events.event.created": _("Veranstaltung angelegt"),
    "events.event.changed": _("Veranstaltung geändert"),
    "events.event.relations_changed": _("Gastgeber, Partner oder Themen geändert"),
    "events.event.capacity_changed": _("Plätze geändert"),
    "events.event.cancelled": _("Veranstaltung abgesagt"),
    "events.program.item_added": _("Programmpunkt hinzugefügt"),
    "events.program.item_changed": _("Programmpunkt geändert"),
    "events.program.item_moved": _("Programmpunkt verschoben"),
    "events.program.item_deleted": _("Programmpunkt gelöscht"),
    "events.speaker.changed": _("Person im Programm geändert"),
    "events.material.added": _("Material hochgeladen"),
    "events.material.deleted": _("Material gelöscht"),
    "events.statement.added": _("Abschluss-Statement erfasst"),
    "events.statement.deleted": _("Abschluss-Statement gelöscht"),
    "events.report.saved": _("Bericht gespeichert"),
    "events.report.published": _("Bericht veröffentlicht"),
    "events.report.withdrawn": _("Bericht zurückgezogen"),
    "events.message.sent": _("Nachricht an Teilnehmende verschickt"),
    "events.participants.exported": _("Teilnehmendenliste exportiert"),
    "events.participants.anonymized": _("Teilnehmendendaten anonymisiert (Frist)"),
    "events.registration.created": _("Anmeldung eingegangen"),
    "events.registration.email_confirmed": _("Anmeldung per E-Mail bestätigt"),
    "events.registration.moved_up": _("Von der Warteliste nachgerückt"),
    "events.registration.offer_accepted": _("Platzangebot angenommen"),
    "events.registration.mode_changed": _("Teilnahmeart gewechselt"),
    "events.registration.cancelled": _("Anmeldung storniert"),
    "events.registration.attended": _("Anwesenheit erfasst"),
    "events.registration.unlisted": _("Aus Teilnehmendenliste genommen"),
    "events.registration.access_needs_deleted": _("Angaben zur Barrierefreiheit gelöscht"),
    "events.registration.anonymized": _("Anmeldung anonymisiert (Widerruf)"),
    "events.calendar_feed.renewed": _("Kalenderadresse erneuert"),
    # Experience exchange
    "surveys.questionnaire.created": _("Fragebogen angelegt"),
    "surveys.questionnaire.changed": _("Fragebogen geändert"),
    "surveys.questionnaire.copied": _("Fragebogen kopiert"),
    "surveys.questionnaire.published": _("Fragebogen veröffentlicht"),
    "surveys.questionnaire.closed": _("Fragebogen geschlossen"),
    "surveys.questionnaire.reopened": _("Fragebogen wieder geöffnet"),
    "surveys.questionnaire.reminded": _("An Fragebogen erinnert"),
    "surveys.questionnaire.deleted": _("Fragebogen gelöscht"),
    "surveys.section.created": _("Abschnitt angelegt"),
    "surveys.section.changed": _("Abschnitt geändert"),
    "surveys.section.moved": _("Abschnitt verschoben"),
    "surveys.section.deleted": _("Abschnitt gelöscht"),
    "surveys.question.created": _("Frage angelegt"),
    "surveys.question.changed": _("Frage geändert"),
    "surveys.question.moved": _("Frage verschoben"),
    "surveys.question.retired": _("Frage geschlossen"),
    "surveys.question.reopened": _("Frage wieder geöffnet"),
    "surveys.question.deleted": _("Frage gelöscht"),
    "surveys.response.saved": _("Antworten gespeichert"),
    "surveys.response.submitted": _("Antworten abgeschickt"),
    "surveys.response.reopened": _("Antworten zur Bearbeitung geöffnet"),
    "surveys.responses.exported": _("Antworten exportiert"),
    # Cooperation
    "cooperation.proposal.created": _("Kooperationsvorschlag angelegt"),
    "cooperation.proposal.created_from_statement": _(
        "Kooperationsvorschlag aus Abschluss-Statement angelegt"
    ),
    "cooperation.proposal.updated": _("Kooperationsvorschlag geändert"),
    "cooperation.proposal.status_changed": _("Status des Kooperationsvorschlags geändert"),
    "cooperation.join_request.created": _("Beitritt angefragt"),
    "cooperation.join_request.accepted": _("Beitrittsanfrage angenommen"),
    "cooperation.join_request.declined": _("Beitrittsanfrage abgelehnt"),
    "cooperation.join_request.declined_on_close": _("Beitrittsanfrage beim Abschluss abgelehnt"),
    "cooperation.join_request.withdrawn": _("Beitrittsanfrage zurückgezogen"),
    "cooperation.member.left": _("Kooperation verlassen"),
    "cooperation.post.created": _("Beitrag geschrieben"),
    "cooperation.recommendation.dismissed": _("Empfehlung ausgeblendet"),
    "cooperation.recommendation.restored": _("Empfehlung wieder eingeblendet"),
    "cooperation.statement.reminded": _("An Abschluss-Statement erinnert"),
    # Platform
    "core.accessibility_feedback.received": _("Rückmeldung zur Barrierefreiheit eingegangen"),
    "core.notification_preferences.changed": _("Benachrichtigungseinstellungen geändert"),
}

# The areas (first part of the code) for the filter.
AREA_LABELS = {
    "organizations": _("Organisationen und Mitgliedschaften"),
    "projects": _("Projekte"),
    "events": _("Veranstaltungen"),
    "surveys": _("Erfahrungsaustausch"),
    "cooperation": _("Kooperationsbörse"),
    "accounts": _("Konten"),
    "privacy": _("Datenschutz"),
    "core": _("Plattform"),
}


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
