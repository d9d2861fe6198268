# Initiative K – shared by deploy/backup.sh and deploy/restore.sh (sourced, not run).
# shellcheck shell=bash

PROG=$(basename "$0")
PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The comment block at the top of the calling script, without the "# ".
usage() { sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; }
die() { echo "$PROG: $*" >&2; exit 1; }
log() { echo "$PROG: $*" >&2; }

# "1 Datei", "3 Dateien".
files_label() {
    if [[ $1 == 1 ]]; then echo "1 Datei"; else echo "$1 Dateien"; fi
}

# A value from a dotenv file (KEY=value, optional quotes). The file is never sourced: values
# such as "Initiative K <noreply@…>" are no shell.
env_from_file() {
    local key=$1 file=$2 line value
    line=$(grep -E "^[[:space:]]*(export[[:space:]]+)?${key}=" "$file" | tail -n 1 || true)
    [[ -n $line ]] || return 0
    value=${line#*=}
    value=${value%$'\r'}
    if [[ $value == \"*\" || $value == \'*\' ]]; then
        value=${value:1:${#value}-2}
    fi
    printf '%s' "$value"
}

# Read KEYs missing from the environment from a dotenv file.
load_env_file() {
    local file=$1 key value
    shift
    [[ -r $file ]] || die "Datei nicht lesbar: $file"
    for key in "$@"; do
        if [[ -z ${!key:-} ]]; then
            value=$(env_from_file "$key" "$file")
            if [[ -n $value ]]; then
                export "$key=$value"
            fi
        fi
    done
}

# sqlite, postgresql – or stop for anything else.
database_kind() {
    case $1 in
        "") echo sqlite ;;
        postgres://* | postgresql://* | pgsql://*) echo postgresql ;;
        *) die "DATABASE_URL: nur PostgreSQL (postgres://…) oder leer (SQLite) werden unterstützt" ;;
    esac
}

# postgres://user:pass@host:port/name?sslmode=… as "export PG…=…" lines for libpq, so that the
# password never appears on a command line (ps). Usage: eval "$(pg_environment "$URL")"
pg_environment() {
    python3 - "$1" <<'PY'
import shlex
import sys
from urllib.parse import parse_qs, unquote, urlsplit

url = urlsplit(sys.argv[1])
values = {
    "PGHOST": unquote(url.hostname or ""),
    "PGPORT": str(url.port or ""),
    "PGUSER": unquote(url.username or ""),
    "PGPASSWORD": unquote(url.password or ""),
    "PGDATABASE": unquote(url.path.lstrip("/")),
}
options = {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"}
for key, items in parse_qs(url.query).items():
    if key in options:
        values["PG" + key.upper()] = items[-1]
for key, value in values.items():
    print(f"export {key}={shlex.quote(value)}" if value else f"unset {key}")
PY
}

sqlite_integrity() {
    python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$1"
}

# Checksums, a readable database archive and a readable media archive – or stop.
verify_backup() {
    local dir=$1 result
    [[ -f $dir/SHA256SUMS ]] || die "keine Sicherung (SHA256SUMS fehlt): $dir"
    (cd "$dir" && sha256sum --quiet --strict --check SHA256SUMS) ||
        die "Prüfsummen stimmen nicht: $dir"
    if [[ -f $dir/database.dump ]]; then
        command -v pg_restore >/dev/null || die "pg_restore fehlt (Paket postgresql-client)"
        pg_restore --list "$dir/database.dump" >/dev/null ||
            die "Archiv unlesbar: $dir/database.dump"
    elif [[ -f $dir/database.sqlite3 ]]; then
        result=$(sqlite_integrity "$dir/database.sqlite3")
        [[ $result == ok ]] || die "SQLite-Kopie beschädigt: $result"
    else
        die "keine Datenbank in $dir"
    fi
    tar --list --gzip --file="$dir/media.tar.gz" >/dev/null ||
        die "Archiv unlesbar: $dir/media.tar.gz"
}
