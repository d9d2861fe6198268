#!/usr/bin/env bash
# Initiative K – Datensicherung: Datenbank (PostgreSQL oder SQLite) und Uploads (MEDIA_ROOT).
#
# Aufruf:  deploy/backup.sh [OPTIONEN] ZIELVERZEICHNIS
#
# Legt ZIELVERZEICHNIS/initiativek-JJJJMMTT-HHMMSS/ an mit
#   database.dump     PostgreSQL: pg_dump --format=custom, ein konsistenter Schnappschuss
#   database.sqlite3  SQLite: Online-Kopie mit „.backup“, konsistent auch im laufenden Betrieb
#   media.tar.gz      alle Uploads (Anhänge von Projekten, Material von Veranstaltungen)
#   MANIFEST          was, wann, woher, womit
#   SHA256SUMS        Prüfsummen der drei Dateien (prüfen: sha256sum -c SHA256SUMS)
# Erst die Datenbank, dann die Uploads: Eine Datei, die dazwischen hochgeladen wird, ist in der
# Sicherung höchstens überzählig, nie fehlend. Die Plattform muss nicht angehalten werden.
#
# Optionen:
#   --verify          danach prüfen: Prüfsummen, Datenbank-Archiv lesbar (pg_restore --list
#                     bzw. PRAGMA integrity_check), Uploads-Archiv lesbar
#   --dry-run         nur anzeigen, was gesichert würde; nichts schreiben
#   --keep-days N     danach Sicherungen in ZIELVERZEICHNIS löschen, die älter als N Tage sind
#                     (Voreinstellung: $BACKUP_KEEP_DAYS; ohne: nichts löschen)
#   --env-file DATEI  DATABASE_URL, VAR_DIR, MEDIA_ROOT aus dieser Datei lesen (z. B.
#                     /etc/initiativek/initiativek.env); gesetzte Umgebungsvariablen gehen vor
#   --sqlite DATEI    SQLite-Datenbank (Voreinstellung: $VAR_DIR/db.sqlite3)
#   -h, --help        diese Hilfe
#
# Umgebung wie die Plattform (docs/operators.md): DATABASE_URL (leer = SQLite), VAR_DIR
# (Voreinstellung: var/ im Projekt), MEDIA_ROOT (Voreinstellung: $VAR_DIR/media).
# Braucht bash, tar, gzip, sha256sum, python3 und pg_dump/pg_restore mindestens in der
# Hauptversion des Servers (PostgreSQL) bzw. sqlite3 (SQLite; ohne nimmt es Pythons sqlite3).
# Zurückspielen: deploy/restore.sh. Exit-Status 0: gesichert (und mit --verify geprüft).

set -euo pipefail
umask 077
# shellcheck source=deploy/backup-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/backup-common.sh"

DRY_RUN=0
VERIFY=0
KEEP_DAYS=${BACKUP_KEEP_DAYS:-}
ENV_FILE=""
SQLITE_PATH=${SQLITE_PATH:-}
TARGET=""
while (($#)); do
    case $1 in
        --verify) VERIFY=1 ;;
        --dry-run) DRY_RUN=1 ;;
        --keep-days) KEEP_DAYS=${2:?--keep-days braucht eine Zahl}; shift ;;
        --keep-days=*) KEEP_DAYS=${1#*=} ;;
        --env-file) ENV_FILE=${2:?--env-file braucht eine Datei}; shift ;;
        --env-file=*) ENV_FILE=${1#*=} ;;
        --sqlite) SQLITE_PATH=${2:?--sqlite braucht eine Datei}; shift ;;
        --sqlite=*) SQLITE_PATH=${1#*=} ;;
        -h | --help) usage; exit 0 ;;
        -*) usage >&2; die "unbekannte Option: $1" ;;
        *) [[ -z $TARGET ]] || die "nur ein Zielverzeichnis, nicht auch $1"; TARGET=$1 ;;
    esac
    shift
done
[[ -n $TARGET ]] || { usage >&2; die "Zielverzeichnis fehlt"; }
[[ -z $KEEP_DAYS || $KEEP_DAYS =~ ^[0-9]+$ ]] || die "--keep-days: keine Zahl: $KEEP_DAYS"
[[ -z $ENV_FILE ]] || load_env_file "$ENV_FILE" DATABASE_URL VAR_DIR MEDIA_ROOT

VAR_DIR=${VAR_DIR:-$PROJECT_DIR/var}
MEDIA_ROOT=${MEDIA_ROOT:-$VAR_DIR/media}
DATABASE_URL=${DATABASE_URL:-}
KIND=$(database_kind "$DATABASE_URL")

if [[ $KIND == postgresql ]]; then
    eval "$(pg_environment "$DATABASE_URL")"
    [[ -n ${PGDATABASE:-} ]] || die "DATABASE_URL nennt keine Datenbank"
    command -v pg_dump >/dev/null || die "pg_dump fehlt (Paket postgresql-client)"
    SOURCE="PostgreSQL-Datenbank ${PGDATABASE} auf ${PGHOST:-localhost}:${PGPORT:-5432}"
    DB_FILE=database.dump
else
    SQLITE_PATH=${SQLITE_PATH:-$VAR_DIR/db.sqlite3}
    [[ -f $SQLITE_PATH ]] || die "SQLite-Datenbank nicht gefunden: $SQLITE_PATH"
    SQLITE_PATH=$(cd "$(dirname "$SQLITE_PATH")" && pwd)/$(basename "$SQLITE_PATH")
    SOURCE="SQLite-Datenbank $SQLITE_PATH"
    DB_FILE=database.sqlite3
fi

DEST="$TARGET/initiativek-$(date +%Y%m%d-%H%M%S)"

if ((DRY_RUN)); then
    echo "Probelauf – es wird nichts geschrieben. Gesichert würden:"
    echo "  Datenbank: $SOURCE → $DEST/$DB_FILE"
    if [[ -d $MEDIA_ROOT ]]; then
        echo "  Uploads:   $MEDIA_ROOT ($(files_label "$(find "$MEDIA_ROOT" -type f | wc -l)")," \
            "$(du -sh "$MEDIA_ROOT" | cut -f1)) → $DEST/media.tar.gz"
    else
        echo "  Uploads:   $MEDIA_ROOT fehlt – es würde ein leeres Archiv gesichert"
    fi
    if [[ -n $KEEP_DAYS ]]; then
        echo "  danach:    Sicherungen in $TARGET löschen, die älter als $KEEP_DAYS Tage sind"
    fi
    exit 0
fi

mkdir -p "$TARGET"
[[ ! -e $DEST ]] || die "existiert schon: $DEST"
PARTIAL="$DEST.partial"
mkdir "$PARTIAL"
# An interrupted run leaves nothing that looks like a finished backup.
trap 'rm -rf -- "$PARTIAL"' EXIT

log "sichere $SOURCE …"
if [[ $KIND == postgresql ]]; then
    pg_dump --format=custom --compress=6 --no-owner --no-privileges \
        --file="$PARTIAL/$DB_FILE"
    TOOL=$(pg_dump --version)
elif command -v sqlite3 >/dev/null; then
    # A relative target name: nothing in the path needs quoting for the dot command.
    (cd "$PARTIAL" && sqlite3 "$SQLITE_PATH" ".timeout 20000" ".backup $DB_FILE")
    TOOL="sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
else
    python3 -c 'import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1], timeout=20), sqlite3.connect(sys.argv[2])
source.backup(target)' "$SQLITE_PATH" "$PARTIAL/$DB_FILE"
    TOOL="python3 sqlite3 $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')"
fi

if [[ -d $MEDIA_ROOT ]]; then
    log "sichere Uploads aus $MEDIA_ROOT …"
    MEDIA_DIR=$MEDIA_ROOT
    MEDIA_FILES=$(find "$MEDIA_ROOT" -type f | wc -l)
else
    log "Warnung: $MEDIA_ROOT fehlt – sichere ein leeres Archiv"
    MEDIA_DIR=$(mktemp -d)
    MEDIA_FILES=0
fi
tar --create --gzip --file="$PARTIAL/media.tar.gz" --directory="$MEDIA_DIR" --numeric-owner .
[[ $MEDIA_DIR == "$MEDIA_ROOT" ]] || rmdir "$MEDIA_DIR"

cat >"$PARTIAL/MANIFEST" <<EOF
format=initiativek-backup-1
created=$(date --iso-8601=seconds)
host=$(hostname)
kind=$KIND
database=$DB_FILE
source=$SOURCE
tool=$TOOL
media=media.tar.gz
media_files=$MEDIA_FILES
EOF
(cd "$PARTIAL" && sha256sum "$DB_FILE" media.tar.gz MANIFEST >SHA256SUMS)

CHECKED=""
if ((VERIFY)); then
    log "prüfe die Sicherung …"
    verify_backup "$PARTIAL"
    CHECKED=", geprüft"
fi
mv "$PARTIAL" "$DEST"
trap - EXIT

if [[ -n $KEEP_DAYS ]]; then
    # Only finished backups of this script (with SHA256SUMS), never anything else.
    while IFS= read -r -d '' old; do
        if [[ -f $old/SHA256SUMS && $old != "$DEST" ]]; then
            log "lösche alte Sicherung $old"
            rm -rf -- "$old"
        fi
    done < <(find "$TARGET" -mindepth 1 -maxdepth 1 -type d -name 'initiativek-????????-??????' \
        -mtime "+$KEEP_DAYS" -print0)
fi

echo "Sicherung fertig: $DEST ($(du -sh "$DEST" | cut -f1); $SOURCE," \
    "Uploads: $(files_label "$MEDIA_FILES")$CHECKED)"
