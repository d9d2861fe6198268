"""`make bench`: measured figures, written to benchmarks/results/.

Today: importing the official municipality directory (target: well under a minute) and the
cooperation matching engine on 11,000 synthetic organizations and 100,000 projects.
"""

import io
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ROOT.parent / "shared" / "data" / "GV100AD_301123.txt"


def main() -> int:
    status = bench_import()
    from benchmarks import bench_matching

    return status or bench_matching.main([])


def bench_import() -> int:
    if not OFFICIAL.exists():
        print(f"{OFFICIAL} fehlt – Benchmark übersprungen.")
        return 0
    var = Path(tempfile.mkdtemp(prefix="initiativek-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "initiativek.conf.dev")
    os.environ.setdefault("VAR_DIR", str(var))
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    figures = {}
    for run in ("first_import_s", "reimport_unchanged_s"):
        started = time.perf_counter()
        call_command("import_municipalities", str(OFFICIAL), stdout=io.StringIO())
        figures[run] = round(time.perf_counter() - started, 2)
        print(f"{run}: {figures[run]} s (Ziel: < 60 s)")
    result = {
        "benchmark": "import_municipalities GV100AD_301123 (16,035 Zeilen)",
        "database": "sqlite",
        "python": platform.python_version(),
        "machine": platform.machine(),
        **figures,
    }
    out = ROOT / "benchmarks" / "results" / "import_municipalities.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Ergebnis: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
