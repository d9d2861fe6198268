"""The questionnaires the platform starts with, as plain data (SPEC §6).

``definition_apply`` turns a definition into rows. It gets the model classes passed in, so
the data migration can hand over historical models (``apps.get_model``) and tests or seeding
the real ones – no model is imported here at module level.

The texts are the questionnaire's content in German (like the seeded topics), not interface
strings, and therefore not marked for translation.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .constants import QuestionKind

MODEL_NAMES = ("Questionnaire", "Section", "Question", "Choice")

ALL_APPLY = "Bitte wählen Sie alle zutreffenden Antworten."
SHARE_HELP = (
    "Gemeint ist die technische und organisatorische Möglichkeit (Zugang, Gerät, Erlaubnis), "
    "nicht die tatsächliche Nutzung. Eine Schätzung genügt."
)


@dataclass(frozen=True)
class QuestionDefinition:
    key: str
    text: str
    kind: str
    help_text: str = ""
    required: bool = False
    unit: str = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    scale_min_label: str = ""
    scale_max_label: str = ""
    allow_other: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectionDefinition:
    title: str
    questions: tuple[QuestionDefinition, ...]
    description: str = ""


@dataclass(frozen=True)
class QuestionnaireDefinition:
    title: str
    slug: str
    introduction: str
    sections: tuple[SectionDefinition, ...]
    is_template: bool = False

    @property
    def questions(self) -> list[QuestionDefinition]:
        return [question for section in self.sections for question in section.questions]


Q = QuestionDefinition
K = QuestionKind

HOMEOFFICE = QuestionnaireDefinition(
    title="Verwaltung im Homeoffice – Erfahrungen aus der Corona-Krise",
    slug="homeoffice-corona",
    introduction=(
        "Im Frühjahr 2020 mussten viele Verwaltungen innerhalb weniger Tage auf das Arbeiten "
        "von zu Hause umstellen. Mit diesem Fragebogen sammelt die Initiative K die Erfahrungen "
        "ihrer Mitglieder: Sie sehen, wo Ihre Verwaltung im Vergleich steht und wen Sie zu "
        "einem Thema ansprechen können.\n\n"
        "- „Homeoffice“ meint hier jedes Arbeiten von zu Hause aus – Telearbeit ebenso wie "
        "mobiles Arbeiten.\n"
        "- Bitte antworten Sie für Ihre Verwaltung insgesamt. Wo keine genauen Zahlen "
        "vorliegen, genügen Schätzungen.\n"
        "- Die Fragen beziehen sich auf die Zeit **vor März 2020** (vor der Krise), das "
        "**Frühjahr 2020** (die Umstellung) und das **Frühjahr 2021** (die Zeit der "
        "Homeoffice-Pflicht).\n"
        "- Sie können jederzeit als Entwurf speichern; Pflichtfragen sind gekennzeichnet. Das "
        "Ausfüllen dauert etwa 15 Minuten.\n"
        "- Die Ergebnisse sehen nur Mitglieder der Initiative. Freitextantworten erscheinen nur "
        "mit dem Namen Ihrer Verwaltung, wenn Sie dem zustimmen."
    ),
    sections=(
        SectionDefinition(
            title="Homeoffice vor und während der Krise",
            description=(
                "Bezugsgröße für die Anteile sind alle Beschäftigten Ihrer Verwaltung mit "
                "Büroarbeitsplatz – ohne Bereiche wie Bauhof, Kindertagesstätten oder Feuerwehr."
            ),
            questions=(
                Q(
                    key="anteil-moeglich-vorher",
                    text="Welcher Anteil der Beschäftigten mit Büroarbeitsplatz konnte vor "
                    "März 2020 im Homeoffice arbeiten?",
                    kind=K.PERCENTAGE,
                    help_text=SHARE_HELP,
                    required=True,
                ),
                Q(
                    key="anteil-moeglich-2021",
                    text="Welcher Anteil der Beschäftigten mit Büroarbeitsplatz konnte im "
                    "Frühjahr 2021 im Homeoffice arbeiten?",
                    kind=K.PERCENTAGE,
                    help_text=SHARE_HELP,
                    required=True,
                ),
                Q(
                    key="anteil-genutzt-2021",
                    text="Welcher Anteil der Beschäftigten mit Büroarbeitsplatz hat im "
                    "Frühjahr 2021 tatsächlich überwiegend im Homeoffice gearbeitet?",
                    kind=K.PERCENTAGE,
                    help_text="„Überwiegend“ heißt: an mindestens der Hälfte der Arbeitstage. "
                    "Eine Schätzung genügt.",
                ),
            ),
        ),
        SectionDefinition(
            title="Technik: Fernzugriff, Geräte und Videokonferenzen",
            questions=(
                Q(
                    key="fernzugriff",
                    text="Über welche Techniken haben Beschäftigte Ihrer Verwaltung im "
                    "Frühjahr 2021 aus dem Homeoffice auf dienstliche Systeme zugegriffen?",
                    kind=K.MULTIPLE,
                    help_text=ALL_APPLY + " VPN: eine verschlüsselte Verbindung vom Gerät ins "
                    "Netz der Verwaltung. VDI: ein virtueller Desktop, der im Rechenzentrum "
                    "läuft. Terminalserver: Anwendungen laufen auf einem zentralen Server und "
                    "werden auf dem Gerät nur angezeigt.",
                    required=True,
                    allow_other=True,
                    choices=(
                        "VPN (Virtual Private Network)",
                        "VDI/virtueller Desktop",
                        "Terminalserver",
                        "Cloud-Dienste/Webanwendungen",
                        "Fernsteuerung des Arbeitsplatzrechners im Büro",
                    ),
                ),
                Q(
                    key="geraete",
                    text="Welche Geräte haben Beschäftigte Ihrer Verwaltung im Frühjahr 2021 "
                    "im Homeoffice genutzt?",
                    kind=K.MULTIPLE,
                    help_text=ALL_APPLY + " BYOD („Bring Your Own Device“): Beschäftigte "
                    "nutzen eigene Geräte für dienstliche Zwecke.",
                    allow_other=True,
                    choices=(
                        "dienstliche Notebooks",
                        "dienstliche Tablets",
                        "dienstliche Desktop-Rechner, mit nach Hause genommen",
                        "Thin Clients",
                        "private Geräte (BYOD)",
                    ),
                ),
                Q(
                    key="mobile-geraete-anzahl",
                    text="Wie viele dienstliche Notebooks und Tablets hatte Ihre Verwaltung im "
                    "Frühjahr 2021 insgesamt im Einsatz?",
                    kind=K.NUMBER,
                    help_text="Ohne Smartphones. Eine Schätzung genügt.",
                    unit="Geräte",
                    min_value=Decimal(0),
                    max_value=Decimal(20000),
                ),
                Q(
                    key="videokonferenz-system",
                    text="Welches Videokonferenzsystem hat Ihre Verwaltung im Frühjahr 2021 "
                    "hauptsächlich für interne Besprechungen genutzt?",
                    kind=K.SINGLE,
                    help_text="Bitte wählen Sie das System, über das die meisten internen "
                    "Videokonferenzen liefen.",
                    allow_other=True,
                    choices=(
                        "Microsoft Teams",
                        "Cisco Webex",
                        "Zoom",
                        "GoToMeeting",
                        "BigBlueButton",
                        "Jitsi Meet",
                        "kein Videokonferenzsystem",
                    ),
                ),
                Q(
                    key="gremiensitzungen-video",
                    text="Haben im Frühjahr 2021 Sitzungen Ihres Hauptgremiums (z. B. "
                    "Gemeinderat, Kreistag, Aufsichtsrat) oder seiner Ausschüsse als "
                    "Videokonferenz stattgefunden?",
                    kind=K.YES_NO,
                    help_text="Auch hybride Sitzungen zählen, zu denen ein Teil der Mitglieder "
                    "per Video zugeschaltet war. Lassen Sie die Frage offen, wenn Ihre "
                    "Organisation kein solches Gremium hat.",
                ),
            ),
        ),
        SectionDefinition(
            title="Elektronische Akte und Aufgaben vor Ort",
            questions=(
                Q(
                    key="eakte-anteil",
                    text="Welcher Anteil der Ämter oder Fachbereiche Ihrer Verwaltung hat im "
                    "Frühjahr 2021 mit der elektronischen Akte gearbeitet?",
                    kind=K.PERCENTAGE,
                    help_text="Elektronische Akte (eAkte): Vorgänge werden vollständig in "
                    "einem Dokumentenmanagementsystem (DMS) geführt – nicht nur einzelne "
                    "eingescannte Dokumente. Ohne eAkte geben Sie bitte 0 an.",
                ),
                Q(
                    key="eakte-nutzen",
                    text="Wie sehr hat die elektronische Akte im Frühjahr 2021 die Arbeit im "
                    "Homeoffice erleichtert?",
                    kind=K.SCALE,
                    help_text="Falls Ihre Verwaltung keine elektronische Akte nutzt, lassen Sie "
                    "diese Frage bitte leer.",
                    scale_min_label="gar nicht",
                    scale_max_label="sehr stark",
                ),
                Q(
                    key="posteingang-digital",
                    text="Wurde die eingehende Papierpost Ihrer Verwaltung im Frühjahr 2021 "
                    "zentral eingescannt und elektronisch verteilt?",
                    kind=K.YES_NO,
                    help_text="Gemeint ist eine digitale Poststelle: Briefe werden beim Eingang "
                    "gescannt und den Beschäftigten elektronisch zugestellt.",
                ),
                Q(
                    key="aufgaben-vor-ort",
                    text="Welche Büroaufgaben mussten im Frühjahr 2021 weiterhin überwiegend "
                    "vor Ort in der Verwaltung erledigt werden?",
                    kind=K.MULTIPLE,
                    help_text=ALL_APPLY,
                    allow_other=True,
                    choices=(
                        "Bürgerservice mit persönlichem Kontakt (z. B. Bürgerbüro, Standesamt)",
                        "Bearbeitung von Papierakten",
                        "Posteingang und Postausgang",
                        "Kasse und Zahlungsverkehr",
                        "Arbeit mit Fachverfahren ohne Fernzugriff",
                        "Umgang mit besonders schutzbedürftigen Daten",
                    ),
                ),
                Q(
                    key="aufgaben-vor-ort-gruende",
                    text="Warum mussten diese Aufgaben vor Ort erledigt werden?",
                    kind=K.TEXT,
                    help_text="Bitte nennen Sie die wichtigsten Gründe, z. B. rechtliche "
                    "Vorgaben, fehlende Schnittstellen oder Datenschutz.",
                ),
            ),
        ),
        SectionDefinition(
            title="Hindernisse und IT-Abteilung",
            questions=(
                Q(
                    key="hindernisse",
                    text="Welche der folgenden Hindernisse haben das Homeoffice in Ihrer "
                    "Verwaltung seit März 2020 erheblich erschwert?",
                    kind=K.MULTIPLE,
                    help_text=ALL_APPLY,
                    required=True,
                    allow_other=True,
                    choices=(
                        "Lieferengpässe bei Geräten (z. B. Notebooks, Headsets, Kameras)",
                        "zu wenig Bandbreite oder VPN-Lizenzen",
                        "Fachverfahren ohne Fernzugriff",
                        "Papierakten",
                        "Bedenken zu Datenschutz oder Informationssicherheit",
                        "fehlende Regelungen (z. B. Dienstvereinbarung)",
                        "schlechte Internetverbindung bei Beschäftigten zu Hause",
                        "fehlende Erfahrung der Beschäftigten mit der Technik",
                        "Vorbehalte von Führungskräften",
                    ),
                ),
                Q(
                    key="it-belastung",
                    text="Wie stark war die für Ihre Verwaltung zuständige IT im Frühjahr 2020 "
                    "durch die Umstellung auf Homeoffice belastet?",
                    kind=K.SCALE,
                    help_text="Gemeint ist die eigene IT-Abteilung oder, soweit er diese "
                    "Aufgaben übernimmt, Ihr IT-Dienstleister.",
                    required=True,
                    scale_min_label="kaum belastet",
                    scale_max_label="äußerst stark belastet",
                ),
                Q(
                    key="fernzugriff-betrieb",
                    text="Wer hat im Frühjahr 2021 die Fernzugriffslösung (z. B. VPN, VDI) "
                    "Ihrer Verwaltung betrieben?",
                    kind=K.SINGLE,
                    choices=(
                        "die eigene IT-Abteilung",
                        "ein kommunaler IT-Dienstleister (z. B. Komm.ONE)",
                        "ein privater IT-Dienstleister",
                        "mehrere der Genannten gemeinsam",
                    ),
                ),
            ),
        ),
        SectionDefinition(
            title="Arbeitsorganisation und Gesundheit",
            questions=(
                Q(
                    key="massnahmen-arbeitsorganisation",
                    text="Welche Maßnahmen zur Arbeitsorganisation hat Ihre Verwaltung seit "
                    "März 2020 eingeführt?",
                    kind=K.MULTIPLE,
                    help_text=ALL_APPLY,
                    allow_other=True,
                    choices=(
                        "Dienstvereinbarung zu Homeoffice oder mobilem Arbeiten",
                        "Regeln zu Kernzeiten und Erreichbarkeit",
                        "feste Präsenz- und Homeoffice-Tage im Wechsel",
                        "Schulungen zu digitalen Werkzeugen",
                        "Schulungen zum Führen auf Distanz",
                        "regelmäßige Teambesprechungen per Video",
                        "elektronische Zeiterfassung auch im Homeoffice",
                    ),
                ),
                Q(
                    key="massnahmen-gesundheit",
                    text="Welche Maßnahmen zum Gesundheitsschutz im Homeoffice hat Ihre "
                    "Verwaltung seit März 2020 eingeführt?",
                    kind=K.MULTIPLE,
                    help_text=ALL_APPLY,
                    allow_other=True,
                    choices=(
                        "Ausstattung für ergonomisches Arbeiten (z. B. Bildschirm, Stuhl)",
                        "Informationen zur ergonomischen Bildschirmarbeit",
                        "Gefährdungsbeurteilung für das Arbeiten im Homeoffice",
                        "Beratungsangebote zur psychischen Gesundheit",
                        "Bewegungsangebote per Video",
                        "Regeln zur Nichterreichbarkeit nach Feierabend",
                    ),
                ),
            ),
        ),
        SectionDefinition(
            title="Gebäude, Energie und Erfahrungen",
            questions=(
                Q(
                    key="buerflaeche",
                    text="Hat Ihre Verwaltung ihre Bürofläche seit März 2020 wegen des "
                    "Homeoffice verringert?",
                    kind=K.SINGLE,
                    choices=(
                        "ja",
                        "nein, eine Verringerung ist geplant",
                        "nein, eine Verringerung wird geprüft",
                        "nein, eine Verringerung ist nicht vorgesehen",
                    ),
                ),
                Q(
                    key="desk-sharing",
                    text="Gab es in Ihrer Verwaltung im Frühjahr 2021 Arbeitsplätze mit "
                    "Desk-Sharing?",
                    kind=K.YES_NO,
                    help_text="Desk-Sharing: Arbeitsplätze sind keiner Person fest zugeordnet, "
                    "sondern werden von mehreren Beschäftigten abwechselnd genutzt.",
                ),
                Q(
                    key="arbeitsplaetze-belegt",
                    text="Welcher Anteil der Büroarbeitsplätze Ihrer Verwaltung war im "
                    "Frühjahr 2021 an einem durchschnittlichen Arbeitstag belegt?",
                    kind=K.PERCENTAGE,
                    help_text="Eine Schätzung genügt.",
                ),
                Q(
                    key="energieverbrauch",
                    text="Wie hat sich der Energieverbrauch (Strom und Wärme) Ihrer "
                    "Verwaltungsgebäude im Jahr 2020 gegenüber 2019 entwickelt?",
                    kind=K.SINGLE,
                    help_text="Bitte vergleichen Sie die Jahresverbräuche; eine "
                    "witterungsbereinigte Angabe ist nicht nötig.",
                    choices=(
                        "um mehr als 10 % gesunken",
                        "um 3 bis 10 % gesunken",
                        "etwa gleich geblieben (Veränderung unter 3 %)",
                        "um 3 % oder mehr gestiegen",
                        "nicht bekannt",
                    ),
                ),
                Q(
                    key="erkenntnisse",
                    text="Was sind die wichtigsten Erkenntnisse Ihrer Verwaltung aus der Zeit "
                    "seit März 2020?",
                    kind=K.TEXT,
                    help_text="Zum Beispiel: Was hat sich bewährt, was würden Sie heute anders "
                    "machen?",
                ),
                Q(
                    key="empfehlung",
                    text="Was würden Sie anderen Verwaltungen empfehlen, die das Homeoffice "
                    "ausbauen möchten?",
                    kind=K.TEXT,
                ),
            ),
        ),
    ),
)

EVENT_FEEDBACK = QuestionnaireDefinition(
    title="Feedback zur Veranstaltung",
    slug="vorlage-feedback-veranstaltung",
    is_template=True,
    introduction=(
        "Vielen Dank für Ihre Teilnahme! Ihre Rückmeldung hilft uns, die nächsten "
        "Veranstaltungen der Initiative K zu verbessern. Das Ausfüllen dauert etwa drei Minuten."
    ),
    sections=(
        SectionDefinition(
            title="Ihre Bewertung",
            questions=(
                Q(
                    key="gesamteindruck",
                    text="Wie bewerten Sie die Veranstaltung insgesamt?",
                    kind=K.SCALE,
                    required=True,
                    scale_min_label="sehr schlecht",
                    scale_max_label="sehr gut",
                ),
                Q(
                    key="nutzen-vortraege",
                    text="Wie nützlich waren die Vorträge für Ihre eigene Arbeit?",
                    kind=K.SCALE,
                    scale_min_label="gar nicht nützlich",
                    scale_max_label="sehr nützlich",
                ),
                Q(
                    key="teilnahme-art",
                    text="Wie haben Sie an der Veranstaltung teilgenommen?",
                    kind=K.SINGLE,
                    choices=("vor Ort", "online"),
                ),
                Q(
                    key="format",
                    text="Wie gut hat das Format der Veranstaltung für Sie funktioniert?",
                    kind=K.SCALE,
                    help_text="Zum Beispiel Ton und Bild der Übertragung, die Möglichkeit, "
                    "Fragen zu stellen, und der Austausch mit anderen Teilnehmenden.",
                    scale_min_label="gar nicht gut",
                    scale_max_label="sehr gut",
                ),
                Q(
                    key="am-nuetzlichsten",
                    text="Was war für Sie an der Veranstaltung am nützlichsten?",
                    kind=K.TEXT,
                ),
            ),
        ),
        SectionDefinition(
            title="Ausblick",
            questions=(
                Q(
                    key="themen-wunsch",
                    text="Welche Themen wünschen Sie sich für die nächsten Veranstaltungen?",
                    kind=K.MULTIPLE,
                    help_text=ALL_APPLY,
                    allow_other=True,
                    choices=(
                        "Homeoffice und mobiles Arbeiten",
                        "IT-Infrastruktur und Informationssicherheit",
                        "eAkte und Dokumentenmanagement",
                        "E-Government und Onlinezugangsgesetz (OZG)",
                        "Chatbots und Bürgerservice",
                        "Smart City und Internet der Dinge (IoT)",
                        "Mobilität und Parken",
                        "Daten und Statistik",
                        "Klimaschutz und Gebäude",
                    ),
                ),
                Q(
                    key="wieder-teilnehmen",
                    text="Würden Sie wieder an einer Veranstaltung der Initiative K teilnehmen?",
                    kind=K.YES_NO,
                ),
                Q(
                    key="eigenes-projekt",
                    text="Wären Sie bereit, bei einer der nächsten Veranstaltungen ein Projekt "
                    "Ihrer Verwaltung vorzustellen?",
                    kind=K.YES_NO,
                ),
                Q(
                    key="anmerkungen",
                    text="Möchten Sie uns sonst noch etwas mitteilen?",
                    kind=K.TEXT,
                ),
            ),
        ),
    ),
)

DEFINITIONS = (HOMEOFFICE, EVENT_FEEDBACK)


def real_models() -> dict[str, Any]:
    """The current model classes, for callers outside migrations."""
    from .models import Choice, Question, Questionnaire, Section

    return {
        "Questionnaire": Questionnaire,
        "Section": Section,
        "Question": Question,
        "Choice": Choice,
    }


def definition_apply(definition: QuestionnaireDefinition, *, models: Mapping[str, Any]) -> Any:
    """Create the questionnaire of ``definition`` (as a draft without dates) with its sections,
    questions and choices, using the classes in ``models`` (keys: ``MODEL_NAMES``).

    Idempotent by slug: if a questionnaire with the slug exists, it is returned unchanged –
    the team may have edited it since. The caller provides the transaction.
    """
    existing = models["Questionnaire"].objects.filter(slug=definition.slug).first()
    if existing is not None:
        return existing
    questionnaire = models["Questionnaire"].objects.create(
        title=definition.title,
        slug=definition.slug,
        introduction=definition.introduction,
        is_template=definition.is_template,
    )
    choices = []
    for section_position, section_definition in enumerate(definition.sections):
        section = models["Section"].objects.create(
            questionnaire=questionnaire,
            title=section_definition.title,
            description=section_definition.description,
            position=section_position,
        )
        for position, item in enumerate(section_definition.questions):
            question = models["Question"].objects.create(
                questionnaire=questionnaire,
                section=section,
                position=position,
                key=item.key,
                text=item.text,
                help_text=item.help_text,
                kind=str(item.kind),
                required=item.required,
                unit=item.unit,
                min_value=item.min_value,
                max_value=item.max_value,
                scale_min_label=item.scale_min_label,
                scale_max_label=item.scale_max_label,
                allow_other=item.allow_other,
            )
            choices += [
                models["Choice"](question=question, label=label, position=index)
                for index, label in enumerate(item.choices)
            ]
    models["Choice"].objects.bulk_create(choices)
    return questionnaire
