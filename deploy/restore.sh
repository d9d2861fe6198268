#!/usr/bin/env bash
# Initiative K – eine Sicherung von deploy/backup.sh zurückspielen.
#
# Aufruf:  deploy/restore.sh [OPTIONEN] SICHERUNG
#          (SICHERUNG: ein Verzeichnis initiativek-JJJJMMTT-HHMMSS von backup.sh)
#
# Immer zuerst: Prüfsummen und Lesbarkeit der Archive prüfen; bei einem Fehler wird nichts
# angefasst. Dann:
#   PostgreSQL  in eine frische, leere Datenbank (DATABASE_URL bzw. --database-url) mit
#               pg_restore in einer einzigen Transaktion, danach ANALYZE. Eine Datenbank mit
#               Tabellen wird nie überschrieben: erst eine neue anlegen (--create), umstellen,
#               die alte später löschen.
#   SQLite      als Datei (--sqlite bzw. $VAR_DIR/db.sqlite3); eine vorhandene Datei nur mit
#               --force – sie wird dann umbenannt, nicht gelöscht.
#   Uploads     nach MEDIA_ROOT (bzw. --media-root); ein nicht leeres Verzeichnis nur mit
#               --force – es wird dann umbenannt, nicht gelöscht.
# Die Dienste (Web, Worker, Zeitplan) vorher anhalten, danach „manage.py migrate“ (falls der Code
# neuer ist als die Sicherung) und wieder starten.
#
# Optionen:
#   --verify          nur prüfen (Prüfsummen, Archive lesbar), nichts zurückspielen
#   --dry-run         prüfen und anzeigen, was geschähe; nichts schreiben
#   --database-url URL  Ziel-Datenbank (PostgreSQL) statt DATABASE_URL
#   --create          PostgreSQL: die Ziel-Datenbank anlegen, falls es sie nicht gibt
#                     (die Rolle aus der URL braucht CREATEDB; Eigentümerin wird sie)
#   --sqlite DATEI    Ziel-Datei (SQLite) statt $VAR_DIR/db.sqlite3
#   --media-root DIR  Ziel der Uploads statt MEDIA_ROOT
#   --force           vorhandene SQLite-Datei / nicht leeres Upload-Verzeichnis ersetzen; das
#                     Alte bleibt als *.vor-wiederherstellung-JJJJMMTT-HHMMSS liegen
#   --env-file DATEI  DATABASE_URL, VAR_DIR, MEDIA_ROOT aus dieser Datei lesen; gesetzte
#                     Umgebungsvariablen gehen vor
#   -h, --help        diese Hilfe
#
# Braucht bash, tar, gzip, sha256sum, python3 und für PostgreSQL psql, createdb und pg_restore
# (postgresql-client, mindestens die Version, mit der gesichert wurde).

set -euo pipefail
umask 027
# shellcheck source=deploy/backup-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/backup-common.sh"

VERIFY_ONLY=0
DRY_RUN=0
CREATE=0
FORCE=0
ENV_FILE=""
TARGET_URL=""
SQLITE_TARGET=""
MEDIA_TARGET=""
BACKUP=""
while (($#)); do
    case $1 in
        --verify | --verify-only) VERIFY_ONLY=1 ;;
        --dry-run) DRY_RUN=1 ;;
        --create) CREATE=1 ;;
        --force) FORCE=1 ;;
        --database-url) TARGET_URL=${2:?--database-url braucht eine URL}; shift ;;
        --database-url=*) TARGET_URL=${1#*=} ;;
        --sqlite) SQLITE_TARGET=${2:?--sqlite braucht eine Datei}; shift ;;
        --sqlite=*) SQLITE_TARGET=${1#*=} ;;
        --media-root) MEDIA_TARGET=${2:?--media-root braucht ein Verzeichnis}; shift ;;
        --media-root=*) MEDIA_TARGET=${1#*=} ;;
        --env-file) ENV_FILE=${2:?--env-file braucht eine Datei}; shift ;;
        --env-file=*) ENV_FILE=${1#*=} ;;
        -h | --help) usage; exit 0 ;;
        -*) usage >&2; die "unbekannte Option: $1" ;;
        *) [[ -z $BACKUP ]] || die "nur eine Sicherung, nicht auch $1"; BACKUP=$1 ;;
    esac
    shift
done
[[ -n $BACKUP ]] || { usage >&2; die "Sicherung fehlt"; }
[[ -d $BACKUP ]] || die "kein Verzeichnis: $BACKUP"
[[ -z $ENV_FILE ]] || load_env_file "$ENV_FILE" DATABASE_URL VAR_DIR MEDIA_ROOT

log "prüfe $BACKUP …"
verify_backup "$BACKUP"
if [[ -f $BACKUP/database.dump ]]; then KIND=postgresql; else KIND=sqlite; fi
MEDIA_FILES=$(tar --list --gzip --file="$BACKUP/media.tar.gz" | grep -cv '/$' || true)
if ((VERIFY_ONLY)); then
    echo "Sicherung in Ordnung: $BACKUP ($KIND, Uploads: $(files_label "$MEDIA_FILES"))"
    exit 0
fi

VAR_DIR=${VAR_DIR:-$PROJECT_DIR/var}
MEDIA_TARGET=${MEDIA_TARGET:-${MEDIA_ROOT:-$VAR_DIR/media}}
MEDIA_TARGET=${MEDIA_TARGET%/}
TARGET_URL=${TARGET_URL:-${DATABASE_URL:-}}
STAMP=$(date +%Y%m%d-%H%M%S)

# --- what will happen -------------------------------------------------------------------------
if [[ $KIND == postgresql ]]; then
    [[ $(database_kind "$TARGET_URL") == postgresql ]] ||
        die "eine PostgreSQL-Sicherung braucht ein PostgreSQL-Ziel (DATABASE_URL oder --database-url)"
    eval "$(pg_environment "$TARGET_URL")"
    [[ -n ${PGDATABASE:-} ]] || die "die Ziel-URL nennt keine Datenbank"
    for tool in psql pg_restore createdb; do
        command -v "$tool" >/dev/null || die "$tool fehlt (Paket postgresql-client)"
    done
    TARGET_DB=$PGDATABASE
    EXISTS=$(psql --no-psqlrc -At -d "${PGMAINTENANCE_DB:-postgres}" -v name="$TARGET_DB" \
        <<<"select count(*) from pg_database where datname = :'name'")
    if ((EXISTS)); then
        TABLES=$(psql --no-psqlrc -At -c "select count(*) from pg_catalog.pg_tables
            where schemaname not in ('pg_catalog', 'information_schema')")
        ((TABLES == 0)) ||
            die "die Datenbank $TARGET_DB enthält schon $TABLES Tabellen – bitte in eine neue, leere Datenbank zurückspielen (--create mit einem neuen Namen)"
        DB_PLAN="in die leere Datenbank $TARGET_DB auf ${PGHOST:-localhost}:${PGPORT:-5432}"
    elif ((CREATE)); then
        DB_PLAN="in die neue Datenbank $TARGET_DB auf ${PGHOST:-localhost}:${PGPORT:-5432} (wird angelegt)"
    else
        die "die Datenbank $TARGET_DB gibt es nicht – anlegen (createdb) oder --create angeben"
    fi
else
    [[ $(database_kind "$TARGET_URL") == sqlite ]] ||
        die "eine SQLite-Sicherung wird als SQLite-Datei zurückgespielt; DATABASE_URL leeren oder --sqlite angeben"
    SQLITE_TARGET=${SQLITE_TARGET:-${SQLITE_PATH:-$VAR_DIR/db.sqlite3}}
    if [[ -e $SQLITE_TARGET ]]; then
        ((FORCE)) || die "$SQLITE_TARGET gibt es schon – mit --force wird sie umbenannt und ersetzt"
        DB_PLAN="als $SQLITE_TARGET (die vorhandene Datei wird zu $SQLITE_TARGET.vor-wiederherstellung-$STAMP)"
    else
        DB_PLAN="als neue Datei $SQLITE_TARGET"
    fi
fi

MEDIA_REPLACE=0
if [[ -d $MEDIA_TARGET && -n $(ls -A "$MEDIA_TARGET") ]]; then
    ((FORCE)) || die "$MEDIA_TARGET ist nicht leer – mit --force wird es umbenannt und ersetzt"
    MEDIA_REPLACE=1
    MEDIA_PLAN="nach $MEDIA_TARGET (das vorhandene Verzeichnis wird zu $MEDIA_TARGET.vor-wiederherstellung-$STAMP)"
else
    MEDIA_PLAN="nach $MEDIA_TARGET"
fi

if ((DRY_RUN)); then
    echo "Probelauf – es wird nichts geschrieben. Die Sicherung $BACKUP ist in Ordnung."
    echo "  Datenbank ($KIND): $DB_PLAN"
    echo "  Uploads ($(files_label "$MEDIA_FILES")): $MEDIA_PLAN"
    exit 0
fi

# --- the database -----------------------------------------------------------------------------
if [[ $KIND == postgresql ]]; then
    if ((CREATE)) && ((!EXISTS)); then
        log "lege die Datenbank $TARGET_DB an …"
        createdb --maintenance-db="${PGMAINTENANCE_DB:-postgres}" "$TARGET_DB"
    fi
    log "spiele die Datenbank $DB_PLAN zurück …"
    pg_restore --exit-on-error --single-transaction --no-owner --no-privileges \
        --dbname="$TARGET_DB" "$BACKUP/database.dump"
    psql --no-psqlrc -q -c "ANALYZE"
else
    log "spiele die Datenbank $DB_PLAN zurück …"
    mkdir -p "$(dirname "$SQLITE_TARGET")"
    NEW="$SQLITE_TARGET.wiederherstellung-$STAMP"
    cp -- "$BACKUP/database.sqlite3" "$NEW"
    [[ $(sqlite_integrity "$NEW") == ok ]] || { rm -f -- "$NEW"; die "Kopie beschädigt"; }
    if [[ -e $SQLITE_TARGET ]]; then
        for suffix in "" -wal -shm; do
            if [[ -e $SQLITE_TARGET$suffix ]]; then
                mv -- "$SQLITE_TARGET$suffix" "$SQLITE_TARGET.vor-wiederherstellung-$STAMP$suffix"
            fi
        done
    fi
    mv -- "$NEW" "$SQLITE_TARGET"
fi

# --- the uploads ------------------------------------------------------------------------------
log "spiele die Uploads $MEDIA_PLAN zurück …"
mkdir -p "$(dirname "$MEDIA_TARGET")"
INCOMING="$MEDIA_TARGET.wiederherstellung-$STAMP"
mkdir "$INCOMING"
tar --extract --gzip --file="$BACKUP/media.tar.gz" --directory="$INCOMING" --no-same-owner
if ((MEDIA_REPLACE)); then
    mv -- "$MEDIA_TARGET" "$MEDIA_TARGET.vor-wiederherstellung-$STAMP"
elif [[ -d $MEDIA_TARGET ]]; then
    rmdir -- "$MEDIA_TARGET"
fi
mv -- "$INCOMING" "$MEDIA_TARGET"

echo "Zurückgespielt: $BACKUP"
echo "  Datenbank ($KIND) $DB_PLAN"
echo "  Uploads ($(files_label "$MEDIA_FILES")) $MEDIA_PLAN"
echo "Weiter: DATABASE_URL/MEDIA_ROOT auf das Ziel zeigen lassen, „manage.py migrate“, Dienste starten, /healthz prüfen."
