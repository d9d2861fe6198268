"""Demo projects: the best-practice talks of the announcement, plus clearly marked examples.

What the announcement does not say (dates, budget, products) stays empty ("unbekannt").
"""

UNKNOWN = (
    "Was die Ankündigung nicht nennt – Zeitraum, Budget, eingesetzte Produkte, genauer "
    "Stand – ist hier bewusst offen gelassen; der Stand „in Umsetzung“ ist eine Annahme der "
    "Demodaten."
)

# (owner AGS, slug, title, summary, description, status, topic slugs, goals)
BEST_PRACTICE = [
    (
        "08326074",
        "smart-parking",
        "Smart Parking",
        "Villingen-Schwenningen stellte in der Initiative K sein Smart-Parking-Projekt als "
        "Best Practice vor: freie Parkplätze digital erfassen und anzeigen.",
        "Best-Practice-Vortrag der Stadt Villingen-Schwenningen in der Initiative K.\n\n"
        "Sensoren erfassen die Belegung von Parkplätzen; die Daten helfen, Parkplätze "
        "schneller zu finden und den Parksuchverkehr zu verringern.\n\n" + UNKNOWN,
        "in_umsetzung",
        ["mobilitaet-parken", "smart-city-iot"],
        [3, 5],
    ),
    (
        "08211000",
        "lorawan-in-baden-baden",
        "LoRaWAN in Baden-Baden",
        "Baden-Baden berichtete über den Aufbau eines LoRaWAN-Funknetzes für Sensoren im "
        "Stadtgebiet.",
        "Best-Practice-Vortrag der Stadt Baden-Baden in der Initiative K.\n\nLoRaWAN ist ein "
        "Funkstandard für Sensoren mit geringem Energiebedarf, etwa für Messwerte aus der "
        "Stadt.\n\n" + UNKNOWN,
        "in_umsetzung",
        ["smart-city-iot", "it-infrastruktur"],
        [3],
    ),
    (
        "08436064",
        "tws-mobil",
        "Mobilitätsplattform tws.mobil",
        "Ravensburg stellte die Mobilitätsplattform „tws.mobil“ vor.",
        "Best-Practice-Vortrag aus Ravensburg in der Initiative K über die "
        "Mobilitätsplattform „tws.mobil“.\n\n" + UNKNOWN,
        "in_umsetzung",
        ["mobilitaet-parken"],
        [3, 5],
    ),
    (
        "08335043",
        "zukunft-der-stadt-mit-daten-gestalten",
        "Die Zukunft der Stadt mit Daten gestalten",
        "Konstanz zeigte, wie Statistik und Daten die Steuerung der Stadt unterstützen.",
        "Best-Practice-Vortrag der Stadt Konstanz (Statistik und Steuerungsunterstützung) in "
        "der Initiative K.\n\n" + UNKNOWN,
        "in_umsetzung",
        ["daten-statistik"],
        [1, 3],
    ),
    (
        "08135019",
        "eakte-dms-und-e-government-heidenheim",
        "eAkte/DMS und E-Government mit Chatbot „Kora“ und service-bw",
        "Heidenheim an der Brenz berichtete über die elektronische Akte, ein "
        "Dokumentenmanagementsystem und E-Government mit dem Chatbot „Kora“ und service-bw.",
        "Best-Practice-Vortrag der Stadt Heidenheim an der Brenz in der Initiative K: "
        "elektronische Akte und Dokumentenmanagement als Grundlage für die Arbeit im "
        "Homeoffice, Online-Dienste über service-bw und der Chatbot „Kora“ im "
        "Bürgerservice.\n\n" + UNKNOWN,
        "in_umsetzung",
        ["eakte-dms", "e-government-ozg", "chatbot-buergerservice", "homeoffice"],
        [1, 2, 4],
    ),
    (
        "08119079",
        "ozg-taskforce-waiblingen",
        "OZG-Taskforce",
        "Waiblingen stellte seine OZG-Taskforce zur Umsetzung des Onlinezugangsgesetzes vor.",
        "Best-Practice-Vortrag der Stadt Waiblingen in der Initiative K über eine Taskforce "
        "zur Umsetzung des Onlinezugangsgesetzes (OZG).\n\n" + UNKNOWN,
        "in_umsetzung",
        ["e-government-ozg"],
        [1, 2],
    ),
]

EXAMPLE = (
    "Beispiel aus den Demodaten, kein reales Vorhaben: zeigt, wie geplante Projekte und "
    "„Wer plant das auch?“ aussehen."
)

# Invented examples, marked as such in title and text, so that planned projects exist.
EXAMPLES = [
    (
        "08115021",
        "beispiel-digitale-parkplatzsuche",
        "Beispiel: Digitale Parkplatzsuche in der Innenstadt",
        "Beispielprojekt (Demodaten): freie Parkplätze in der Innenstadt online anzeigen.",
        EXAMPLE,
        "geplant",
        ["mobilitaet-parken", "smart-city-iot"],
        [3, 5],
    ),
    (
        "08136065",
        "beispiel-einfuehrung-eakte",
        "Beispiel: Einführung der eAkte in allen Ämtern",
        "Beispielprojekt (Demodaten): Digitalisierungsprojekte rund um die elektronische Akte.",
        EXAMPLE,
        "idee",
        ["eakte-dms", "homeoffice"],
        [1, 4],
    ),
    (
        "08436064",
        "beispiel-sensoren-fuer-schulgebaeude",
        "Beispiel: Sensoren für Schulgebäude",
        "Beispielprojekt (Demodaten): Raumklima und Energieverbrauch in Schulen messen.",
        EXAMPLE,
        "geplant",
        ["klimaschutz-gebaeude", "schulen", "smart-city-iot"],
        [5],
    ),
]

# Example-only fields, so that every facet has something to show.
EXTRA = {
    "beispiel-einfuehrung-eakte": {
        "reuse_offered": True,
        "reuse_conditions": (
            "Beispiel: Leistungsbeschreibung und Schulungsunterlagen zum Nachnutzen."
        ),
        "reuse_license": "CC BY 4.0",
        "ozg_fields": ["querschnitt"],
    },
    "beispiel-sensoren-fuer-schulgebaeude": {"visibility": "members", "ozg_fields": ["bildung"]},
    "beispiel-digitale-parkplatzsuche": {"ozg_fields": ["mobilitaet-reisen"]},
}
