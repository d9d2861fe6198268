"""Demo events: the series of the announcement and one upcoming event to try registering.

Only what the announcement says is filled in; the format of the 2021 events and the exact
times of program items are not known and stay open or are marked as assumptions.
"""

SERIES = ("initiative-k-2021", "Initiative K 2021")

ASSUMED = (
    "Die Ankündigung nennt Datum, Uhrzeit und Gastgeber; das Format „hybrid“ ist eine Annahme "
    "der Demodaten."
)

# (slug, title, host AGS, date "YYYY-MM-DD" or None, start hour, end hour)
EVENTS = [
    ("ravensburg-2021", "Initiative K in Ravensburg", "08436064", "2021-05-11", 12, 14),
    (
        "villingen-schwenningen-2021",
        "Initiative K in Villingen-Schwenningen",
        "08326074",
        "2021-05-18",
        14,
        16,
    ),
    ("herrenberg-2021", "Initiative K in Herrenberg", "08115021", "2021-06-14", 15, 17),
    ("schwaebisch-gmuend", "Initiative K in Schwäbisch Gmünd", "08136065", None, None, None),
]

# Program of the Ravensburg event: (kind, title, [(speaker name, function, organization AGS)],
# project slug or None)
RAVENSBURG_PROGRAM = [
    ("begruessung", "Begrüßung", [("Dirk Bastin", "Bürgermeister", "08436064")], None),
    (
        "impuls",
        "Mobilitätsmanagement mit der Plattform „tws.mobil“",
        [("Carola Grabherr", "Digitalisierungsbeauftragte", "08436064")],
        "tws-mobil",
    ),
    (
        "impuls",
        "Die Zukunft der Stadt mit Daten gestalten",
        [("Eberhard Baier", "Leiter Statistik und Steuerungsunterstützung", "08335043")],
        "zukunft-der-stadt-mit-daten-gestalten",
    ),
    (
        "impuls",
        "eAkte/DMS und eGovernment (ChatBot Kora, service-bw)",
        [("Daniel Fabian", "Fachbereichsleiter Zentrale Dienste/CDO", "08135019")],
        "eakte-dms-und-e-government-heidenheim",
    ),
    (
        "impuls",
        "OZG-Taskforce",
        [("Robert Geist", "Koordinator für Digitalisierung", "08119079")],
        "ozg-taskforce-waiblingen",
    ),
    ("diskussion", "Moderierte Diskussion", [], None),
    ("abschluss", "Abschluss-Statements und Ausblick auf mögliche Kooperationsprojekte", [], None),
]

# Further best-practice talks of the series, each in the event of the speaker's town.
OTHER_TALKS = [
    (
        "villingen-schwenningen-2021",
        "Smart Parking",
        (
            "Katharina Biethinger",
            "CDO & Leiterin Stabsstelle für Digitalisierung und Projektmanagement",
            "08326074",
        ),
        "smart-parking",
    ),
    (
        "herrenberg-2021",
        "LoRaWAN in Baden-Baden",
        ("Florian Beck", "Fachgebiet Informationstechnik und Digitalisierung", "08211000"),
        "lorawan-in-baden-baden",
    ),
]

UPCOMING = {
    "slug": "demo-erfahrungsaustausch-homeoffice",
    "title": "Beispiel: Erfahrungsaustausch Homeoffice (Demo-Veranstaltung)",
    "summary": (
        "Eine Demo-Veranstaltung zum Ausprobieren der Anmeldung: hybrid, mit Plätzen vor Ort "
        "und online. Sie findet nicht wirklich statt."
    ),
    "venue": "Rathaus (Beispiel)",
    "venue_address": "Marktplatz 1\n88212 Ravensburg (Beispieladresse)",
    "online_url": "https://konferenz.example.org/initiative-k-demo",
    "host_ags": "08436064",
}
