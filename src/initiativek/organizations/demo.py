"""Demo data from the public announcement of Initiative K (used by ``seed_demo``).

Real people named in the announcement get their function only – no invented contact details.
"""

from pathlib import Path

from .constants import OrganizationKind

SAMPLE_DIRECTORY = Path(__file__).resolve().parent / "fixtures" / "gv100ad_sample.txt"

# AGS of the member municipalities named in the announcement.
MEMBER_MUNICIPALITIES = {
    "08436064": "Ravensburg",
    "08326074": "Villingen-Schwenningen",
    "08115021": "Herrenberg",
    "08136065": "Schwäbisch Gmünd",
    "08211000": "Baden-Baden",
    "08335043": "Konstanz",
    "08135019": "Heidenheim an der Brenz",
    "08119079": "Waiblingen",
}

# The town centres (WGS84, rounded): the GV100AD sample has no coordinates, the AuszugGV
# import would bring them; without them the demo recommendations could not show distances.
TOWN_COORDINATES = {
    "08436064": ("47.7819", "9.6114"),
    "08326074": ("48.0620", "8.4940"),
    "08115021": ("48.5966", "8.8705"),
    "08136065": ("48.7996", "9.7982"),
    "08211000": ("48.7606", "8.2398"),
    "08335043": ("47.6603", "9.1758"),
    "08135019": ("48.6768", "10.1530"),
    "08119079": ("48.8307", "9.3166"),
}

PARTNERS = [
    {
        "slug": "elfnullelf",
        "name": "elfnullelf",
        "partner_role": "Beratung; betreut die Initiative K",
        "description": "Beratungsunternehmen, das die Initiative K organisatorisch betreut.",
    },
    {
        "slug": "ncp",
        "name": "NCP",
        "partner_role": "Hersteller von VPN-Lösungen; begleitet die Initiative K als Partner",
        "description": "Deutscher Hersteller von VPN-Lösungen, begleitet die Initiative K.",
    },
]

# (AGS of the organization, name, function) – as in the announcement.
CONTACTS = [
    ("08436064", "Dirk Bastin", "Bürgermeister"),
    ("08436064", "Carola Grabherr", "Digitalisierungsbeauftragte"),
    ("08335043", "Eberhard Baier", "Leiter Statistik und Steuerungsunterstützung"),
    ("08135019", "Daniel Fabian", "Fachbereichsleiter Zentrale Dienste/CDO"),
    ("08119079", "Robert Geist", "Koordinator für Digitalisierung"),
    (
        "08326074",
        "Katharina Biethinger",
        "CDO & Leiterin Stabsstelle für Digitalisierung und Projektmanagement",
    ),
    ("08211000", "Florian Beck", "Fachgebiet Informationstechnik und Digitalisierung"),
]

# A municipal company that belongs to a member town, to show parent and child organizations.
COMPANIES = [
    {
        "slug": "stadtwerke-konstanz",
        "name": "Stadtwerke Konstanz",
        "kind": OrganizationKind.STADTWERKE,
        "parent_ags": "08335043",
    },
]

DEMO_PASSWORD = "Demo-Initiative-K-2026"  # noqa: S105 – printed for the local demo only

# (e-mail, name, function, role in Ravensburg or None, staff)
ACCOUNTS = [
    ("team@example.org", "Toni Team (Demo)", "Team der Initiative K", None, True),
    ("admin@example.org", "Alex Admin (Demo)", "IT-Leitung", "admin", False),
    ("redaktion@example.org", "Robin Redaktion (Demo)", "Digitalisierung", "editor", False),
    ("mitglied@example.org", "Mika Mitglied (Demo)", "Sachbearbeitung", "member", False),
    ("antrag@example.org", "Sascha Antrag (Demo)", "Digitalisierungsbeauftragte", None, False),
]
DEMO_ORGANIZATION_AGS = "08436064"
PENDING_APPLICATION_AGS = "08311000"  # Freiburg im Breisgau: a request for the team to review
