"""German texts of synthetic projects and events, put together from varied phrases.

Each topic (by the slug of the seeded taxonomy) has its own things that projects are about,
technologies, vendors, OZG fields and goals; the sentences around them are the everyday wording
of municipal administrations, with a long tail of words as in real texts. Topics an admin added
later get the generic vocabulary.
"""

import random
from dataclasses import dataclass

from initiativek.core.constants import Goal


@dataclass(frozen=True)
class TopicWords:
    things: tuple[str, ...]  # what a project introduces: "die E-Akte", "digitale Bauanträge"
    technologies: tuple[str, ...]
    vendors: tuple[str, ...]
    ozg: tuple[str, ...]
    goals: tuple[int, ...]


def phrases(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|"))


TOPICS = {
    "homeoffice": TopicWords(
        phrases(
            "mobiles Arbeiten|Homeoffice für alle Ämter|Telearbeitsplätze|Desk-Sharing|"
            "digitale Zusammenarbeit|Videokonferenzen im Rathaus|Softphones|"
            "Dienstvereinbarung mobiles Arbeiten|Notebook-Ausstattung"
        ),
        phrases("Microsoft Teams|Jitsi Meet|Nextcloud|BigBlueButton|Softphone|Notebook|Headset"),
        phrases("Microsoft|Zoom|Cisco|Komm.ONE|Dataport"),
        ("querschnitt", "arbeit-ruhestand"),
        (Goal.HOMEOFFICE, Goal.WORK_HEALTH),
    ),
    "it-infrastruktur": TopicWords(
        phrases(
            "VPN-Zugang|Zwei-Faktor-Anmeldung|Firewall-Erneuerung|Netzwerksegmentierung|"
            "Notfallhandbuch IT|Informationssicherheitskonzept|Serverkonsolidierung|"
            "virtuelle Desktops|Backup-Konzept"
        ),
        phrases("VPN|WireGuard|Citrix|VDI|Firewall|Active Directory|Veeam|ISMS"),
        phrases("NCP|Sophos|Citrix|Komm.ONE|Dataport|AKDB|ITEOS"),
        ("querschnitt",),
        (Goal.IT_RELIEF, Goal.EFFICIENT_IT, Goal.HOMEOFFICE),
    ),
    "eakte-dms": TopicWords(
        phrases(
            "E-Akte|Dokumentenmanagementsystem|digitaler Posteingang|Scanstelle|"
            "elektronische Rechnungsbearbeitung|digitale Personalakte|E-Aktenplan|"
            "ersetzendes Scannen|elektronische Archivierung"
        ),
        phrases("DMS|enaio|d.velop|Scanner|XRechnung|OCR|Aktenplan"),
        phrases("Optimal Systems|d.velop|Fabasoft|Komm.ONE|Ceyoniq"),
        ("querschnitt", "steuern-zoll"),
        (Goal.HOMEOFFICE, Goal.EFFICIENT_IT),
    ),
    "e-government-ozg": TopicWords(
        phrases(
            "Online-Antrag für Wohngeld|digitaler Bauantrag|Online-Terminvergabe|"
            "Serviceportal|elektronische Bezahlfunktion|digitale Gewerbeanmeldung|"
            "Online-Hundesteuer|OZG-Leistungen|BundID-Anbindung|Online-Anwohnerparkausweis"
        ),
        phrases("Serviceportal|BundID|ePayBL|FIM|XÖV|Formularserver|Online-Dienst"),
        phrases("Komm.ONE|Dataport|AKDB|ekom21|Governikus|Form-Solutions"),
        ("bauen-wohnen", "familie-kind", "unternehmen", "recht-ordnung", "steuern-zoll"),
        (Goal.EFFICIENT_IT, Goal.HOMEOFFICE),
    ),
    "chatbot-buergerservice": TopicWords(
        phrases(
            "Chatbot im Bürgerservice|Bürgertelefon 115|Mängelmelder|Wartemarkensystem|"
            "digitales Bürgerbüro|Sprachassistent|Bürger-App|Terminbuchung im Bürgerbüro"
        ),
        phrases("Chatbot|Mängelmelder|App|KI|Sprachassistent|Terminbuchung"),
        phrases("Publicplan|Aleph Alpha|Komm.ONE|Mängelmelder GmbH|Heinz Digital"),
        ("querschnitt", "engagement-hobby"),
        (Goal.HOMEOFFICE, Goal.EFFICIENT_IT),
    ),
    "smart-city-iot": TopicWords(
        phrases(
            "LoRaWAN-Netz|Sensoren für Pegelstände|smarte Straßenbeleuchtung|"
            "Füllstandssensoren für Glascontainer|Umweltsensorik|digitaler Zwilling|"
            "offenes Datenportal|Bodenfeuchtesensoren für Stadtbäume"
        ),
        phrases("LoRaWAN|Sensor|IoT-Plattform|Digitaler Zwilling|Open Data|MQTT|Gateway"),
        phrases("Stadtwerke|Zenner|Telekom|Urban Software Institute|Bosch"),
        ("umwelt", "mobilitaet-reisen"),
        (Goal.CLIMATE, Goal.EFFICIENT_IT),
    ),
    "mobilitaet-parken": TopicWords(
        phrases(
            "Smart Parking|Parkleitsystem|Handyparken|Ladeinfrastruktur für E-Autos|"
            "Bürgerbus-App|digitales Parkraummanagement|Radverkehrszählung|"
            "On-Demand-Verkehr"
        ),
        phrases("Parksensor|Parkleitsystem|Handyparken|Ladesäule|App|Verkehrszählung"),
        phrases("Bosch|Cleverciti|EasyPark|Stadtwerke|Mobilithek"),
        ("mobilitaet-reisen", "umwelt"),
        (Goal.CLIMATE, Goal.EFFICIENT_IT),
    ),
    "daten-statistik": TopicWords(
        phrases(
            "Open-Data-Portal|Datenstrategie|kommunales Dashboard|Geodateninfrastruktur|"
            "Bürgerhaushalt online|Statistikatlas|Datenkatalog|Geoportal"
        ),
        phrases("Open Data|CKAN|Dashboard|GIS|QGIS|Power BI|Geoportal"),
        phrases("Esri|con terra|Microsoft|Komm.ONE|Statistisches Landesamt"),
        ("querschnitt", "forschung-foerderung"),
        (Goal.EFFICIENT_IT,),
    ),
    "klimaschutz-gebaeude": TopicWords(
        phrases(
            "Energiemonitoring der Liegenschaften|smarte Heizungssteuerung|"
            "Photovoltaik auf Schuldächern|kommunales Energiemanagement|"
            "Raumbuchungssystem|CO2-Bilanz|LED-Umrüstung|Gebäudeleittechnik"
        ),
        phrases("Energiemanagement|Smart Meter|Photovoltaik|Gebäudeleittechnik|Raumbuchung"),
        phrases("Siemens|Stadtwerke|Honeywell|Kiwigrid|EnBW"),
        ("umwelt", "bauen-wohnen"),
        (Goal.CLIMATE,),
    ),
    "schulen": TopicWords(
        phrases(
            "WLAN in allen Schulen|Tablets für Grundschulen|Medienentwicklungsplan|"
            "Schulcloud|digitale Tafeln|Support für Schul-IT|Lernplattform"
        ),
        phrases("WLAN|Tablet|Moodle|Schulcloud|iPad|Interaktive Tafel|MDM"),
        phrases("Apple|Microsoft|Komm.ONE|Cancom|Bechtle"),
        ("bildung", "familie-kind"),
        (Goal.EFFICIENT_IT, Goal.IT_RELIEF),
    ),
    "feuerwehr": TopicWords(
        phrases(
            "digitale Alarmierung|Einsatz-App|Feuerwehrverwaltungsprogramm|"
            "Tablets in Einsatzfahrzeugen|Hydrantenkataster|digitaler Einsatzbericht"
        ),
        phrases("Alarmierungs-App|Digitalfunk|Tablet|GIS|Einsatzleitsoftware"),
        phrases("Divera 24/7|FireBoard|Motorola|Swissphone|Komm.ONE"),
        ("recht-ordnung",),
        (Goal.EFFICIENT_IT,),
    ),
    "ver-entsorgung": TopicWords(
        phrases(
            "Abfall-App|digitale Wasserzähler|Kanalkataster|Tourenplanung der Müllabfuhr|"
            "Störungsmelder|Fernauslesung der Zähler|Leitungsauskunft online"
        ),
        phrases("Abfall-App|Smart Meter|LoRaWAN|GIS|Tourenplanung"),
        phrases("Stadtwerke|Zenner|Kamstrup|Esri|Komm.ONE"),
        ("umwelt", "bauen-wohnen"),
        (Goal.CLIMATE, Goal.EFFICIENT_IT),
    ),
}
GENERIC = TopicWords(
    phrases(
        "Digitalisierungsstrategie|Prozessanalyse|Schulungsprogramm|Pilotprojekt|Fachverfahren"
    ),
    phrases("Fachverfahren|Cloud|App|Portal"),
    phrases("Komm.ONE|Dataport|Microsoft"),
    ("querschnitt",),
    (Goal.EFFICIENT_IT,),
)

TITLE_PATTERNS = phrases(
    "{Thing}|Einführung: {thing}|{Thing} in {town}|{Thing} für die ganze Verwaltung|"
    "Pilotprojekt {thing}|{Thing} – gemeinsam mit Nachbarkommunen|{Thing} im {office}|"
    "{Thing} und {other}|Neustart {thing}|{Thing} für Bürgerinnen und Bürger"
)
OFFICES = phrases(
    "Bürgerbüro|Bauamt|Ordnungsamt|Standesamt|Hauptamt|Rathaus|Bauhof|Jugendamt|Sozialamt|"
    "Stadtarchiv|Kämmereiamt|Landratsamt"
)
SUBJECTS = phrases(
    "Die Verwaltung|Das Hauptamt|Die Stadtverwaltung|Der Eigenbetrieb|Das Bürgerbüro|"
    "Die Kämmerei|Das Ordnungsamt|Das Bauamt|Die IT-Abteilung|Der Gemeinderat|"
    "Das Projektteam|Die Digitalisierungsbeauftragte|Der Zweckverband|Das Rechenzentrum|"
    "Die Wirtschaftsförderung|Das Standesamt|Die Schulverwaltung|Das Jugendamt|"
    "Der Bauhof|Die Stabsstelle"
)
VERBS = phrases(
    "führt {a} ein|plant {a}|erprobt {a}|beschafft {a}|vernetzt {a} mit {b}|"
    "ersetzt das bisherige Verfahren durch {a}|baut {a} schrittweise aus|"
    "schreibt {a} gemeinsam mit Nachbarkommunen aus|betreibt {a} seit dem Frühjahr|"
    "evaluiert {a} nach einem Jahr|verknüpft {a} mit {b}|stellt {a} auf offene Standards um|"
    "migriert {a} in die Cloud|dokumentiert {a} zur Nachnutzung|schult Mitarbeitende für {a}"
)
PURPOSES = phrases(
    "um Abläufe zu beschleunigen|damit Bürgerinnen und Bürger Anträge online stellen können|"
    "um Papier und Porto zu sparen|um Wartezeiten zu verkürzen|"
    "weil Fachkräfte fehlen|um Medienbrüche zu vermeiden|um Kosten zu senken|"
    "damit Daten nur einmal erfasst werden|um den Klimaschutz zu unterstützen|"
    "um die Barrierefreiheit zu verbessern|weil das Altsystem ausläuft|"
    "um Fördermittel des Landes zu nutzen|um Transparenz zu schaffen|"
    "damit Mitarbeitende mobil arbeiten können|um die Sicherheit zu erhöhen"
)
EXTRAS = phrases(
    "Die Ausschreibung ist abgeschlossen.|Ein Pilotbetrieb läuft in zwei Ämtern.|"
    "Der Datenschutzbeauftragte wurde früh beteiligt.|Die Kosten teilen sich drei Gemeinden.|"
    "Schnittstellen zum Fachverfahren sind vorgesehen.|Erste Rückmeldungen sind positiv.|"
    "Der Personalrat hat zugestimmt.|Die Finanzierung steht im Haushalt.|"
    "Eine Dienstanweisung regelt die Nutzung.|Die Einführung dauert etwa ein Jahr.|"
    "Wir suchen Partner für eine gemeinsame Beschaffung.|Die Lizenzkosten sind gestiegen."
)
LESSONS = phrases(
    "Früh mit dem Personalrat sprechen spart Monate.|"
    "Ein kleiner Pilot in einem Amt überzeugt mehr als jede Präsentation.|"
    "Die Schnittstellen zum Fachverfahren waren aufwendiger als geplant.|"
    "Schulungen in kleinen Gruppen haben sich bewährt.|"
    "Ohne klare Zuständigkeit im Betrieb bleibt ein Projekt liegen.|"
    "Gemeinsame Ausschreibungen mit Nachbarkommunen senken die Kosten deutlich.|"
    "Die Datenschutz-Folgenabschätzung sollte am Anfang stehen, nicht am Ende.|"
    "Offene Standards machen den späteren Wechsel des Anbieters leichter."
)
FUNDING = phrases(
    "Förderprogramm Digitalisierung des Landes|Modellprojekte Smart Cities|"
    "Digitalpakt Schule|Kommunalrichtlinie Klimaschutz|EFRE|Eigenmittel"
)
EFFORTS = phrases(
    "1 Person, 3 Monate|2 Personen, 6 Monate|3 Personen, 1 Jahr|"
    "eine halbe Stelle über zwei Jahre|extern begleitet, 40 Beratertage|"
    "Projektteam aus 5 Ämtern, 18 Monate"
)
LICENSES = ("EUPL-1.2", "MIT", "Apache-2.0", "GPL-3.0-or-later", "CC BY 4.0")
REUSE_CONDITIONS = phrases(
    "Konzept und Ausschreibungsunterlagen geben wir gern weiter.|"
    "Der Quellcode steht unter offener Lizenz; Anpassungen bitte zurückgeben.|"
    "Wir stellen unsere Dienstvereinbarung und Schulungsunterlagen zur Verfügung.|"
    "Eine Mitnutzung unserer Plattform ist gegen Kostenbeteiligung möglich."
)


def words_for(slug: str) -> TopicWords:
    return TOPICS.get(slug, GENERIC)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def project_title(rng: random.Random, words: TopicWords, town: str) -> str:
    thing, other = rng.sample(words.things, 2)
    pattern = rng.choice(TITLE_PATTERNS)
    title = pattern.format(
        Thing=_capital(thing), thing=thing, town=town, office=rng.choice(OFFICES), other=other
    )
    return title[:200]


def sentence(rng: random.Random, things: list[str]) -> str:
    a, b = rng.sample(things, 2) if len(things) > 1 else (things[0], things[0])
    verb = rng.choice(VERBS).format(a=a, b=b)
    return f"{rng.choice(SUBJECTS)} {verb}, {rng.choice(PURPOSES)}."


def summary(rng: random.Random, things: list[str]) -> str:
    text = sentence(rng, things)
    if rng.random() < 0.6:
        text += " " + rng.choice(EXTRAS)
    return text[:600]


def description(rng: random.Random, things: list[str]) -> str:
    """Two to four Markdown paragraphs (60 to 180 words), sometimes with a list."""
    paragraphs = []
    for _ in range(rng.randint(2, 4)):
        sentences = [sentence(rng, things) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.4:
            sentences.append(rng.choice(EXTRAS))
        paragraphs.append(" ".join(sentences))
    if rng.random() < 0.3:
        steps = rng.sample(things, min(3, len(things)))
        paragraphs.append("\n".join(f"- {_capital(step)}" for step in steps))
    return "\n\n".join(paragraphs)


def lessons(rng: random.Random) -> str:
    return " ".join(rng.sample(LESSONS, rng.randint(1, 3)))
