import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_check(extra_env: dict) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "DEBUG"))
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = _run_check(
        {
            "DJANGO_SETTINGS_MODULE": "initiativek.conf.production",
            "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
            "ALLOWED_HOSTS": "plattform.example.org",
            "SITE_URL": "https://plattform.example.org",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_secret_key():
    result = _run_check({"DJANGO_SETTINGS_MODULE": "initiativek.conf.production", "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
