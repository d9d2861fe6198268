from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    OPEN = "offen", _("offen – Partner gesucht")
    FORMING = "in_gruendung", _("in Gründung")
    ACTIVE = "aktiv", _("aktiv")
    CLOSED = "abgeschlossen", _("abgeschlossen")


# Which status may follow which (SPEC §7: open → forming → active → closed). A forming
# cooperation may go back to searching partners; closed is final.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    ProposalStatus.OPEN: frozenset({ProposalStatus.FORMING, ProposalStatus.CLOSED}),
    ProposalStatus.FORMING: frozenset(
        {ProposalStatus.OPEN, ProposalStatus.ACTIVE, ProposalStatus.CLOSED}
    ),
    ProposalStatus.ACTIVE: frozenset({ProposalStatus.CLOSED}),
    ProposalStatus.CLOSED: frozenset(),
}

# Statuses in which others may still ask to join.
JOINABLE_STATUSES = (ProposalStatus.OPEN, ProposalStatus.FORMING)


class MemberRole(models.TextChoices):
    INITIATOR = "initiator", _("initiiert")
    MEMBER = "mitglied", _("beteiligt")


class JoinStatus(models.TextChoices):
    PENDING = "offen", _("offen")
    ACCEPTED = "angenommen", _("angenommen")
    DECLINED = "abgelehnt", _("abgelehnt")
    WITHDRAWN = "zurueckgezogen", _("zurückgezogen")


class DismissalReason(models.TextChoices):
    PARTNER = "partner", _("bereits Kooperationspartner")
    NOT_INTERESTED = "kein_interesse", _("kein Interesse")
