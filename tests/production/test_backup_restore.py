"""deploy/backup.sh and deploy/restore.sh bring back the same database and uploads (issue 9).

Each test fills a scratch database the way production would (``migrate``, then
``generate_synthetic`` with a small size) and a scratch MEDIA_ROOT, runs the backup, restores it
somewhere else and compares: every table's row count and content, the sequences (new rows
after a restore must not collide), the indexes, and every upload file byte for byte. The
SQLite variant runs everywhere; the PostgreSQL variant needs ``DATABASE_URL`` pointing at a
PostgreSQL server on which it may create and drop two scratch databases.
"""

import hashlib
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "deploy" / "backup.sh"
RESTORE = ROOT / "deploy" / "restore.sh"
POSTGRES_TOOLS = ("pg_dump", "pg_restore", "psql", "createdb")
SYNTHETIC = ["--orgs", "40", "--projects", "80", "--events", "6", "--registrations", "60"]
SYNTHETIC += ["--responses", "12", "--seed", "7"]
UPLOADS = {
    "projekte/2026/11/folien.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 40,
    "projekte/2026/11/Bericht Gemeinderat Ä ß.pdf": b"%PDF-1.4\nBericht\n",
    "veranstaltungen/material/leer.txt": b"",
    "veranstaltungen/material/bild.png": b"\x89PNG\r\n\x1a\n" + secrets.token_bytes(5000),
}


def _environment(var_dir: Path, database_url: str = "") -> dict[str, str]:
    """What the platform's services would have: only the variables that matter here."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "initiativek.conf.ci",
            "PYTHONPATH": str(ROOT / "src"),
            "VAR_DIR": str(var_dir),
            "MEDIA_ROOT": str(var_dir / "media"),
            "DATABASE_URL": database_url,
        }
    )
    return env


def _run(command: list, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check:
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "manage.py", *args], env)


def _fill(env: dict, var_dir: Path) -> None:
    """A migrated database with synthetic data, and uploads."""
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "generate_synthetic", *SYNTHETIC)
    for name, content in UPLOADS.items():
        path = var_dir / "media" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def _files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _the_backup(target: Path) -> Path:
    (backup,) = target.iterdir()
    assert backup.name.startswith("initiativek-")
    return backup


# --- SQLite ------------------------------------------------------------------------------------


def _sqlite_fingerprint(path: Path) -> dict[str, object]:
    """Per table: the number of rows and a hash of all of them; plus the index names."""
    db = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        fingerprint: dict[str, object] = {}
        for table in tables:
            rows = sorted(repr(row) for row in db.execute(f'SELECT * FROM "{table}"'))  # noqa: S608
            fingerprint[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        fingerprint["indexes"] = sorted(
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        )
        return fingerprint
    finally:
        db.close()


@pytest.fixture
def sqlite_site(tmp_path):
    var_dir = tmp_path / "betrieb" / "var"
    env = _environment(var_dir)
    _fill(env, var_dir)
    return var_dir, env


def test_sqlite_backup_restores_the_same_rows_and_files(sqlite_site, tmp_path):
    var_dir, env = sqlite_site
    target = tmp_path / "sicherungen"

    made = _run([BACKUP, "--verify", target], env)
    backup = _the_backup(target)
    assert "Sicherung fertig" in made.stdout
    assert sorted(p.name for p in backup.iterdir()) == [
        "MANIFEST",
        "SHA256SUMS",
        "database.sqlite3",
        "media.tar.gz",
    ]
    assert "kind=sqlite" in (backup / "MANIFEST").read_text()
    subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=backup, check=True)

    restored = tmp_path / "neu"
    _run(
        [RESTORE, "--sqlite", restored / "db.sqlite3", "--media-root", restored / "media", backup],
        env,
    )

    original = _sqlite_fingerprint(var_dir / "db.sqlite3")
    assert original["projects_project"][0] == 80  # the data is there to compare
    assert original["events_registration"][0] > 0
    assert _sqlite_fingerprint(restored / "db.sqlite3") == original
    assert _files(restored / "media") == _files(var_dir / "media")
    assert len(_files(restored / "media")) == len(UPLOADS)
    # The code sees a complete, current database.
    _manage(_environment(restored), "migrate", "--check")


def test_dry_runs_write_nothing(sqlite_site, tmp_path):
    _var_dir, env = sqlite_site
    target = tmp_path / "sicherungen"

    planned = _run([BACKUP, "--dry-run", target], env)
    assert "Probelauf" in planned.stdout
    assert "4 Dateien" in planned.stdout
    assert not target.exists()

    _run([BACKUP, target], env)
    backup = _the_backup(target)
    restored = tmp_path / "neu"
    planned = _run(
        [
            RESTORE,
            "--dry-run",
            "--sqlite",
            restored / "db.sqlite3",
            "--media-root",
            restored / "media",
            backup,
        ],
        env,
    )
    assert "Probelauf" in planned.stdout
    assert not restored.exists()


def test_restore_refuses_a_damaged_backup_and_touches_nothing(sqlite_site, tmp_path):
    _var_dir, env = sqlite_site
    target = tmp_path / "sicherungen"
    _run([BACKUP, target], env)
    backup = _the_backup(target)
    damaged = bytearray((backup / "media.tar.gz").read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    (backup / "media.tar.gz").write_bytes(bytes(damaged))
    restored = tmp_path / "neu"

    for extra in (["--verify"], []):
        result = _run(
            [RESTORE, *extra, "--sqlite", restored / "db.sqlite3", backup], env, check=False
        )
        assert result.returncode != 0
        assert "Prüfsummen stimmen nicht" in result.stderr
    assert not restored.exists()


def test_restore_keeps_an_existing_database_unless_forced(sqlite_site, tmp_path):
    var_dir, env = sqlite_site
    target = tmp_path / "sicherungen"
    _run([BACKUP, target], env)
    backup = _the_backup(target)
    before = (var_dir / "db.sqlite3").read_bytes()

    refused = _run([RESTORE, backup], env, check=False)
    assert refused.returncode != 0
    assert "gibt es schon" in refused.stderr
    assert (var_dir / "db.sqlite3").read_bytes() == before

    _run([RESTORE, "--force", backup], env)
    kept = list(var_dir.glob("db.sqlite3.vor-wiederherstellung-*"))
    assert [path.name for path in kept if not path.name.endswith(("-wal", "-shm"))]
    assert list(var_dir.glob("media.vor-wiederherstellung-*"))
    assert _files(var_dir / "media") == {
        name: hashlib.sha256(content).hexdigest() for name, content in UPLOADS.items()
    }


# --- PostgreSQL --------------------------------------------------------------------------------


@pytest.fixture
def postgres_server():
    """Connection settings of the PostgreSQL server in DATABASE_URL, or skip."""
    import dj_database_url
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    missing = [tool for tool in POSTGRES_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"PostgreSQL client programs missing: {', '.join(missing)}")
    config = dj_database_url.parse(url)
    server = {
        "host": config.get("HOST") or "localhost",
        "port": int(config.get("PORT") or 5432),
        "user": config.get("USER") or "",
        "password": config.get("PASSWORD") or "",
    }
    try:
        psycopg.connect(dbname="postgres", connect_timeout=3, **server).close()
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL does not answer: {exc}")
    return server


def _postgres_url(server: dict, name: str) -> str:
    credentials = server["user"] + (f":{server['password']}" if server["password"] else "")
    return f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"


def _postgres_fingerprint(server: dict, name: str) -> dict[str, object]:
    """Per table: rows and a hash of their text; per sequence: its position; index names."""
    import psycopg
    from psycopg import sql

    fingerprint: dict[str, object] = {}
    with psycopg.connect(dbname=name, **server) as db:
        tables = db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
        for (table,) in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                " FROM {} t"
            ).format(sql.Identifier(table))
            fingerprint[table] = db.execute(query).fetchone()
        sequences = db.execute(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall()
        for (sequence,) in sequences:
            query = sql.SQL("SELECT last_value, is_called FROM {}").format(sql.Identifier(sequence))
            fingerprint[f"sequence {sequence}"] = db.execute(query).fetchone()
        fingerprint["indexes"] = sorted(
            row[0]
            for row in db.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
        )
    return fingerprint


@pytest.fixture
def scratch_databases(postgres_server):
    """Names for a source and a restore database; both dropped afterwards."""
    import psycopg
    from psycopg import sql

    stem = f"ik_backup_{os.getpid()}_{secrets.token_hex(3)}"
    names = (stem, f"{stem}_restored")
    with psycopg.connect(dbname="postgres", autocommit=True, **postgres_server) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(names[0])))
    try:
        yield names
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **postgres_server) as admin:
            for name in names:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


@pytest.mark.postgres
def test_postgresql_backup_restores_into_a_fresh_database(
    postgres_server, scratch_databases, tmp_path
):
    source, fresh = scratch_databases
    var_dir = tmp_path / "betrieb" / "var"
    env = _environment(var_dir, _postgres_url(postgres_server, source))
    _fill(env, var_dir)
    target = tmp_path / "sicherungen"

    _run([BACKUP, "--verify", target], env)
    backup = _the_backup(target)
    assert (backup / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    restored = tmp_path / "neu"
    fresh_url = _postgres_url(postgres_server, fresh)
    options = ["--create", "--database-url", fresh_url, "--media-root", restored / "media"]
    _run([RESTORE, *options, backup], env)

    original = _postgres_fingerprint(postgres_server, source)
    assert original["projects_project"][0] == 80
    assert _postgres_fingerprint(postgres_server, fresh) == original
    assert _files(restored / "media") == _files(var_dir / "media")
    _manage(_environment(restored, fresh_url), "migrate", "--check")

    # A second restore into the now filled database is refused; nothing is overwritten.
    again = _run(
        [RESTORE, "--database-url", fresh_url, "--media-root", tmp_path / "m2", backup],
        env,
        check=False,
    )
    assert again.returncode != 0
    assert "enthält schon" in again.stderr
    assert _postgres_fingerprint(postgres_server, fresh) == original
