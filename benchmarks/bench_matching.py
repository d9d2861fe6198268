"""Benchmark of the matching engine on a synthetic Germany: 11,000 organizations, 100,000 projects.

No Django, no database: ``python -m benchmarks.bench_matching`` (``--help`` for the sizes).
The data are generated deterministically from a seed: organizations in 400 Kreise of 38
Regierungsbezirke inside Germany's bounding box, populations log-normal like real municipalities
(median about 2,000, a few large cities), projects per organization growing with its size,
topics from 40 ids with a long tail, tags that go with the topics, and German-like texts put
together from topic phrases and everyday administrative wording.

Measured: building the index, ``recommend`` for one organization and ``implemented_like`` for
one planned project (p50/p95 after warm-up), and ``recommend_all``. Prints a Markdown table and
writes ``benchmarks/results/<date>-matching.json``.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from initiativek.cooperation.matching import (  # noqa: E402 – after the path is set
    IMPLEMENTED,
    OTHER,
    PLANNED,
    MatchIndex,
    MatchOrganization,
    MatchProject,
)

KINDS_OTHER = ("verband", "stadtwerke", "oepnv", "ver_entsorgung", "krankenhaus", "landkreis")
TOPICS = 40
TAGS = 400
BEZIRKE = 38
KREISE = 400

_ROOT_TEXT = (
    "park sensor akten schul bürger daten netz portal dienst verwaltungs digital mobil energie "
    "klima wasser abfall feuer kita bau antrag termin karten geo rats sitzungs rechnungs "
    "personal melde gewerbe steuer friedhofs bibliotheks museums sport bäder straßen licht "
    "verkehrs rad bus ticket lade strom wärme gebäude schutz kataster bebauungs grün baum "
    "spiel jugend senioren pflege gesundheits not ruf alarm einsatz funk glasfaser server "
    "cloud video chat bot formular post signatur archiv scan druck lern tablet wlan"
)
_ROOTS = _ROOT_TEXT.split()
_END_TEXT = (
    "system plattform verfahren management dienst portal lösung konzept netz anwendung "
    "erfassung steuerung verwaltung planung analyse sensorik modul register"
)
_ENDS = _END_TEXT.split()
# Generic sentences of project descriptions, put together from parts: many everyday words of
# the administration with a long tail, as in real texts.
_SUBJECT_TEXT = (
    "Die Verwaltung|Das Hauptamt|Die Stadtverwaltung|Der Eigenbetrieb|Das Bürgerbüro|"
    "Die Kämmerei|Das Ordnungsamt|Das Bauamt|Die IT-Abteilung|Der Gemeinderat|"
    "Das Projektteam|Die Digitalisierungsbeauftragte|Der Zweckverband|Das Rechenzentrum|"
    "Die Wirtschaftsförderung|Das Standesamt|Die Schulverwaltung|Das Jugendamt|"
    "Der Bauhof|Die Stabsstelle"
)
_VERB_TEXT = (
    "führt {a} ein|plant {a}|erprobt {a}|beschafft {a}|vernetzt {a} mit {b}|"
    "ersetzt das bisherige Verfahren durch {a}|baut {a} schrittweise aus|"
    "schreibt {a} gemeinsam mit Nachbarkommunen aus|betreibt {a} seit dem Frühjahr|"
    "evaluiert {a} nach einem Jahr|verknüpft {a} mit {b}|stellt {a} auf offene Standards um|"
    "migriert {a} in die Cloud|dokumentiert {a} zur Nachnutzung|schult Mitarbeitende für {a}"
)
_PURPOSE_TEXT = (
    "um Abläufe zu beschleunigen|damit Bürgerinnen und Bürger Anträge online stellen können|"
    "um Papier und Porto zu sparen|um Wartezeiten zu verkürzen|"
    "weil Fachkräfte fehlen|um Medienbrüche zu vermeiden|um Kosten zu senken|"
    "damit Daten nur einmal erfasst werden|um den Klimaschutz zu unterstützen|"
    "um die Barrierefreiheit zu verbessern|weil das Altsystem ausläuft|"
    "um Fördermittel des Landes zu nutzen|um Transparenz zu schaffen|"
    "damit Mitarbeitende mobil arbeiten können|um die Sicherheit zu erhöhen"
)
_EXTRA_TEXT = (
    "Die Ausschreibung ist abgeschlossen.|Ein Pilotbetrieb läuft in zwei Ämtern.|"
    "Der Datenschutzbeauftragte wurde früh beteiligt.|Die Kosten teilen sich drei Gemeinden.|"
    "Schnittstellen zum Fachverfahren sind vorgesehen.|Erste Rückmeldungen sind positiv.|"
    "Der Personalrat hat zugestimmt.|Die Finanzierung steht im Haushalt.|"
    "Eine Dienstanweisung regelt die Nutzung.|Die Einführung dauert etwa ein Jahr.|"
    "Wir suchen Partner für eine gemeinsame Beschaffung.|Die Lizenzkosten sind gestiegen."
)
_SUBJECTS, _VERBS, _PURPOSES, _EXTRAS = (
    text.split("|") for text in (_SUBJECT_TEXT, _VERB_TEXT, _PURPOSE_TEXT, _EXTRA_TEXT)
)


def _vocabulary(rng: np.random.Generator) -> list[list[str]]:
    """Per topic 60 compound nouns ("Parksensorsystem"), a few shared between topics."""
    topics = []
    for _ in range(TOPICS):
        roots = rng.choice(_ROOTS, size=6, replace=False)
        words = {
            f"{rng.choice(roots)}{rng.choice(_ROOTS)}{rng.choice(_ENDS)}".capitalize()
            for _ in range(60)
        }
        topics.append(sorted(words))
    return topics


def organizations(rng: np.random.Generator, count: int) -> list[MatchOrganization]:
    bezirk_centers = np.column_stack(
        [rng.uniform(47.6, 54.6, BEZIRKE), rng.uniform(6.3, 14.6, BEZIRKE)]
    )
    kreis_centers = np.column_stack(
        [rng.uniform(47.5, 54.8, KREISE), rng.uniform(6.1, 14.8, KREISE)]
    )
    kreis_bezirk = np.argmin(
        ((kreis_centers[:, None, :] - bezirk_centers[None, :, :]) ** 2).sum(axis=2), axis=1
    )
    kreis_number = np.zeros(KREISE, dtype=int)
    for bezirk in range(BEZIRKE):
        members = np.flatnonzero(kreis_bezirk == bezirk)
        kreis_number[members] = np.arange(1, len(members) + 1)
    population = np.clip(rng.lognormal(np.log(2000), 1.3, count), 50, 3_700_000).astype(int)
    kreis = rng.integers(0, KREISE, count)
    lat = np.clip(kreis_centers[kreis, 0] + rng.normal(0, 0.12, count), 47.3, 55.0)
    lon = np.clip(kreis_centers[kreis, 1] + rng.normal(0, 0.16, count), 5.9, 15.0)
    result = []
    for i in range(count):
        bezirk_key = f"{kreis_bezirk[kreis[i]] + 1:03d}"
        known = rng.random() > 0.02  # a few without coordinates or population
        result.append(
            MatchOrganization(
                id=i + 1,
                name=f"Kommune {i + 1}",
                kind=_kind(rng, int(population[i])),
                population=int(population[i]) if known else None,
                latitude=float(lat[i]) if known else None,
                longitude=float(lon[i]) if known else None,
                kreis=f"{bezirk_key}{kreis_number[kreis[i]]:02d}",
                bezirk=bezirk_key,
            )
        )
    return result


def _kind(rng: np.random.Generator, population: int) -> str:
    if rng.random() < 0.05:
        return str(rng.choice(KINDS_OTHER))
    if population >= 100_000:
        return "stadtkreis"
    if population >= 20_000:
        return "grosse_kreisstadt"
    return "stadt" if population >= 5_000 else "gemeinde"


def projects(
    rng: np.random.Generator, orgs: list[MatchOrganization], count: int
) -> list[MatchProject]:
    vocabulary = _vocabulary(rng)
    popularity = 1 / np.arange(1, TOPICS + 1) ** 0.8
    popularity /= popularity.sum()
    topic_tags = [rng.choice(TAGS, size=12, replace=False) for _ in range(TOPICS)]
    size = np.array([org.population or 2000 for org in orgs], dtype=float) ** 0.6
    owners = rng.choice(len(orgs), size=count, p=size / size.sum())
    stages = rng.choice([PLANNED, IMPLEMENTED, OTHER], size=count, p=[0.35, 0.45, 0.2])
    result = []
    for i in range(count):
        topics = rng.choice(TOPICS, size=int(rng.integers(1, 4)), replace=False, p=popularity)
        main = vocabulary[topics[0]]
        tags = {int(rng.choice(topic_tags[t])) for t in topics for _ in range(rng.integers(0, 3))}
        title = " ".join(rng.choice(main, size=int(rng.integers(1, 4)), replace=False))
        result.append(
            MatchProject(
                id=i + 1,
                organization_id=orgs[owners[i]].id,
                title=title,
                stage=str(stages[i]),
                topics=frozenset(int(t) + 1 for t in topics),
                tags=frozenset(tags),
                text=f"{title}. {_text(rng, [vocabulary[t] for t in topics])}",
                reuse_offered=bool(stages[i] == IMPLEMENTED and rng.random() < 0.25),
            )
        )
    return result


def _text(rng: np.random.Generator, words: list[list[str]]) -> str:
    """4 to 12 sentences, about 60 to 180 words."""
    sentences = []
    for _ in range(int(rng.integers(4, 13))):
        pool = words[int(rng.integers(len(words)))]
        a, b = rng.choice(pool, size=2, replace=False)
        verb = str(rng.choice(_VERBS)).format(a=a, b=b)
        sentences.append(f"{rng.choice(_SUBJECTS)} {verb}, {rng.choice(_PURPOSES)}.")
        if rng.random() < 0.4:
            sentences.append(str(rng.choice(_EXTRAS)))
    return " ".join(sentences)


def _percentiles(samples: list[float]) -> dict[str, float]:
    values = np.array(samples) * 1000
    return {
        "p50_ms": round(float(np.percentile(values, 50)), 2),
        "p95_ms": round(float(np.percentile(values, 95)), 2),
    }


def _timed(call: Callable[[int], object], arguments: list[int], warmup: int) -> dict[str, float]:
    for argument in arguments[:warmup]:
        call(argument)
    samples = []
    for argument in arguments:
        started = time.perf_counter()
        call(argument)
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def run(args: argparse.Namespace) -> dict:
    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    orgs = organizations(rng, args.organizations)
    items = projects(rng, orgs, args.projects)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    index = MatchIndex.build(orgs, items)
    build = time.perf_counter() - started
    peak_after_build = _peak_mb()
    pick = np.random.default_rng(args.seed + 1)
    org_ids = [int(i) for i in pick.choice([o.id for o in orgs], size=args.samples)]
    planned = [p.id for p in items if p.stage == PLANNED]
    project_ids = [int(i) for i in pick.choice(planned, size=args.samples)]
    figures = {
        "generate_s": round(generated, 2),
        "build_s": round(build, 2),
        "recommend": _timed(lambda i: index.recommend(i, limit=20), org_ids, 20),
        "implemented_like": _timed(lambda i: index.implemented_like(i), project_ids, 20),
    }
    if not args.skip_all:
        started = time.perf_counter()
        everything = index.recommend_all(limit=10)
        figures["recommend_all_s"] = round(time.perf_counter() - started, 2)
        figures["recommend_all_suggestions"] = sum(len(v) for v in everything.values())
    figures["peak_memory_after_build_mb"] = peak_after_build
    figures["peak_memory_mb"] = _peak_mb()
    return figures


def _peak_mb() -> float:
    """The process's peak resident memory so far (generated data included)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=11_000)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--skip-all", action="store_true", help="recommend_all nicht messen")
    parser.add_argument("--no-write", action="store_true", help="kein JSON schreiben")
    args = parser.parse_args(argv)
    figures = run(args)
    rows = [
        ("Index aufbauen", f"{figures['build_s']} s", ""),
        (
            "recommend (1 Organisation, 20 Vorschläge)",
            f"{figures['recommend']['p50_ms']} ms",
            f"{figures['recommend']['p95_ms']} ms",
        ),
        (
            "implemented_like (1 Projekt, 10 Treffer)",
            f"{figures['implemented_like']['p50_ms']} ms",
            f"{figures['implemented_like']['p95_ms']} ms",
        ),
    ]
    if "recommend_all_s" in figures:
        rows.append(
            ("recommend_all (alle, je 10 Vorschläge)", f"{figures['recommend_all_s']} s", "")
        )
    print(f"\n{args.organizations:,} Organisationen, {args.projects:,} Projekte\n")
    print("| Messung | p50 / gesamt | p95 |\n|---|---|---|")
    for name, first, second in rows:
        print(f"| {name} | {first} | {second} |")
    print(
        f"\nSpeicher (Spitze, mit den erzeugten Daten): {figures['peak_memory_after_build_mb']} MB "
        f"nach dem Aufbau, {figures['peak_memory_mb']} MB am Ende"
    )
    result = {
        "benchmark": "matching engine, synthetic data",
        "organizations": args.organizations,
        "projects": args.projects,
        "seed": args.seed,
        "samples": args.samples,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        **figures,
    }
    if not args.no_write:
        out = ROOT / "benchmarks" / "results" / f"{datetime.date.today():%Y-%m-%d}-matching.json"
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"Ergebnis: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
