"""Settings come from the environment; production settings pass ``check --deploy``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if k not in {"SECRET_KEY", "INNESTO_DEBUG", "DATABASE_URL", "REDIS_URL"}}
    base.update({"INNESTO_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE":
                 "innesto.portal.settings", **env})
    return subprocess.run([sys.executable, "-m", "innesto.portal", *args], env=base,
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)


def test_check_deploy_is_clean_with_production_environment(tmp_path: Path) -> None:
    env = {"SECRET_KEY": "x7#kQ2!vLm9@pR4$wZ8^nB3&cF6*hJ1(dS5)gT0_yU-eI+oA=qW~zX",
           "INNESTO_SECURE": "1", "ALLOWED_HOSTS": "piano.example.org"}
    r = _run(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_without_a_secret_key_the_site_refuses_to_start(tmp_path: Path) -> None:
    r = _run(["check"], {}, tmp_path)
    assert r.returncode != 0 and "SECRET_KEY" in r.stderr


def test_sqlite_lives_under_the_data_dir_and_redis_is_used_when_configured(tmp_path: Path) -> None:
    code = ("from django.conf import settings as s; "
            "print(s.DATABASES['default']['NAME']); print(s.CACHES['default']['BACKEND'])")
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    base.update({"INNESTO_DATA_DIR": str(tmp_path), "INNESTO_DEBUG": "1",
                 "REDIS_URL": "redis://127.0.0.1:6379/0",
                 "DJANGO_SETTINGS_MODULE": "innesto.portal.settings"})
    r = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code],
                       env=base, capture_output=True, text=True, timeout=120)
    name, backend = r.stdout.split()
    assert name == str(tmp_path / "innesto.sqlite3")
    assert backend == "innesto.portal.site.failover.FailoverCache"


@pytest.mark.parametrize("key", ["short", "x" * 60, "django-insecure-" + "k3y-" * 12])
def test_a_weak_secret_key_is_refused_at_start(tmp_path: Path, key: str) -> None:
    r = _run(["check"], {"SECRET_KEY": key}, tmp_path)
    assert r.returncode != 0 and "SECRET_KEY is too weak" in r.stderr


def test_proxy_headers_are_configurable(tmp_path: Path) -> None:
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_PROXY_SSL_HEADER, s.TRUSTED_PROXIES, s.CLIENT_IP_HEADER)")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"INNESTO_DATA_DIR": str(tmp_path), "INNESTO_DEBUG": "1",
                "DJANGO_SETTINGS_MODULE": "innesto.portal.settings",
                "INNESTO_PROXY_SSL_HEADER": "X-Scheme=https",
                "INNESTO_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1",
                "INNESTO_CLIENT_IP_HEADER": "X-Real-IP"})
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.stdout.strip() == (
        "('HTTP_X_SCHEME', 'https') ['10.0.0.0/8', '192.0.2.1'] HTTP_X_REAL_IP"), r.stderr
