"""Names of synthetic people, places and companies.

Municipality names come from an official directory file (GV100AD) when one is at hand, else
they are put together from the syllables German place names are made of ("-ingen", "-heim",
"Bad …", "… am Main"). People's names come from short lists; their addresses are
``vorname.nachname.N@example.org`` with a running number, never a real-looking domain.
"""

import random
import unicodedata
from pathlib import Path

from initiativek.organizations.importers.apply import municipality_name
from initiativek.organizations.importers.gv100ad import GEMEINDE, DirectoryRecord, parse_gv100ad
from initiativek.organizations.services import organization_slug_base

from . import EMAIL_DOMAIN


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Anna Andreas Anja Alexander Birgit Bernd Carina Christian Claudia Daniel Doris Dirk "
    "Elena Erik Eva Florian Franziska Frank Gabriele Georg Hannah Heiko Ines Ingo Jana Jan "
    "Julia Jonas Katrin Klaus Laura Lukas Lena Markus Maria Martin Melanie Michael Nadine "
    "Niklas Nicole Oliver Petra Peter Paula Ralf Sabine Stefan Sandra Sebastian Tanja Thomas "
    "Ute Uwe Vanessa Volker Wiebke Wolfgang Yvonne Zoe Tobias Miriam Matthias Lisa Jürgen "
    "Heike Felix Sophie Moritz Elif Mehmet Aylin Deniz Svetlana Piotr Agnieszka Luca Giulia "
    "Jörg Björn Maren Kai Silke Torsten Anke Dennis Katharina Simon Carolin Philipp Rebecca "
    "Benedikt Friederike"
)
LAST_NAMES = _words(
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann "
    "Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler "
    "Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn "
    "Schubert Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann "
    "Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt "
    "Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf Schulte Dietrich "
    "Ziegler Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt Sauer Arnold Wolff "
    "Pfeiffer Yılmaz Kaya Nowak Kowalski Petrović Rossi Demir Öztürk Brenner Eberle Häfner "
    "Rapp Riedel Straub Wörner"
)
FUNCTIONS = (
    "Digitalisierungsbeauftragte",
    "Digitalisierungsbeauftragter",
    "CDO & Leiterin Stabsstelle Digitalisierung",
    "Leiter IT",
    "Leiterin Hauptamt",
    "Leiter Organisation und IT",
    "Bürgermeisterin",
    "Bürgermeister",
    "Sachbearbeitung E-Government",
    "Fachbereichsleitung Zentrale Dienste",
    "Projektleitung Smart City",
    "Informationssicherheitsbeauftragte",
    "Leitung Bürgerbüro",
    "Referentin für Verwaltungsmodernisierung",
    "Kämmerer",
)

_PREFIXES = _words("Alt Neu Ober Unter Groß Klein Hohen Nieder Mittel Hinter Wald Sankt")
_STEMS = _words(
    "Achern Ahl Alten Bergen Bern Bieber Birken Bo Bran Bruch Buch Dorn Eber Eich Ems Erlen "
    "Eschen Fal Fried Gel Gern Grün Hagen Ham Has Heil Herren Hild Hir Hof Holz Horn Ilsen "
    "Kirch Kreuz Lan Lau Lin Loh Mar Mühl Nes Ot Pfaff Rei Rin Rosen Sal Schön Sieg Sten "
    "Stein Tann Ul Wal Wei Wes Wil Win Wolfs Zell Lich Mergel Brems Thal Kalten Sonnen Linden "
    "Hessel"
)
_ENDINGS = _words(
    "ingen heim hausen dorf bach berg burg feld stadt au rode hofen weiler kirchen stetten "
    "born brück leben ow itz beck stedt wangen dingen haupten hagen"
)
_RIVER_SUFFIXES = (
    "am Main",
    "an der Donau",
    "am Neckar",
    "an der Lahn",
    "im Schwarzwald",
    "in der Pfalz",
    "an der Weser",
    "(Oberpfalz)",
    "bei Kassel",
    "an der Elbe",
)
# Shares of generated names with "Bad …" before, "Ober…"-like prefixes or "… am Main" after.
BAD_SHARE = 0.03
PREFIX_SHARE = 0.12
SUFFIX_SHARE = 0.04


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def email_for(name: str, number: int) -> str:
    """``vorname.nachname.N@example.org``: ASCII, unique through the running ``number``."""
    local = ".".join(_ascii(part) for part in name.split())
    return f"{local}.{number}@{EMAIL_DOMAIN}"


def _ascii(text: str) -> str:
    text = text.casefold().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe")
    text = text.replace("ü", "ue").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c == "-"))


def generated_place_name(rng: random.Random) -> str:
    """A German-sounding place name such as "Oberlinhausen", "Bad Eichbach" or "Rosenau am
    Main"."""
    name = f"{rng.choice(_STEMS)}{rng.choice(_ENDINGS)}"
    if rng.random() < PREFIX_SHARE:
        name = f"{rng.choice(_PREFIXES)}{name.lower()}"
    if rng.random() < BAD_SHARE:
        name = f"Bad {name}"
    elif rng.random() < SUFFIX_SHARE:
        name = f"{name} {rng.choice(_RIVER_SUFFIXES)}"
    return name


def directory_place_names(path: Path | None) -> list[str]:
    """The municipality names of a GV100AD file (without ", Stadt" and the like), in file
    order; empty when there is no such file or it can't be read."""
    if path is None or not path.is_file():
        return []
    try:
        data = path.read_bytes()
    except OSError:
        return []
    return [
        municipality_name(item.name)
        for item in parse_gv100ad(data)
        if isinstance(item, DirectoryRecord) and item.record_type == GEMEINDE
    ]


def place_names(rng: random.Random, count: int, directory: list[str]) -> list[str]:
    """``count`` municipality names: drawn from ``directory`` (without repetition while it
    lasts), the rest generated; generated names avoid repeating where they easily can."""
    pool = list(directory)
    rng.shuffle(pool)
    names = pool[:count]
    seen = set(names)
    while len(names) < count:
        name = generated_place_name(rng)
        for _attempt in range(3):
            if name not in seen:
                break
            name = generated_place_name(rng)
        seen.add(name)
        names.append(name)
    return names


def unique_slug(base_text: str, taken: set[str], *, prefix: str, extra: str = "") -> str:
    """``prefix`` + the slug of ``base_text``; on a clash with ``extra`` (e.g. the AGS), then
    with a counter. The result is added to ``taken``."""
    base = f"{prefix}{organization_slug_base(base_text)[:150].strip('-')}"
    candidates = [base, f"{base}-{extra}"] if extra else [base]
    slug = next((c for c in candidates if c not in taken), "")
    number = 2
    while not slug:
        if f"{base}-{number}" not in taken:
            slug = f"{base}-{number}"
        number += 1
    taken.add(slug)
    return slug
