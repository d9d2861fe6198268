"""The English translation is complete: every German text in the code has an English one."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "initiativek"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
def test_english_catalogue_covers_every_text(tmp_path):
    copy = tmp_path / "initiativek"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("vendor", "__pycache__", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            "-l",
            "en",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    stats = subprocess.run(
        [
            "msgfmt",
            "--check-format",
            "--statistics",
            "-o",
            "/dev/null",
            "locale/en/LC_MESSAGES/django.po",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    assert "untranslated" not in stats, stats
    assert "fuzzy" not in stats, stats
