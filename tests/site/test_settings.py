"""Settings come from the environment; production refuses to start unsafely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from fansite.env import database_from_url, env_bool

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 64 + "-a-long-random-production-secret-key",
    "DJANGO_ALLOWED_HOSTS": "fans.example.com",
    "EMAIL_HOST": "smtp.example.com",
}


def run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env={"DJANGO_DEBUG": "false"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_builds_a_pooled_postgresql_connection():
    database = database_from_url("postgres://fan:p%40ss@db.example.com:6543/fansite")
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("fansite", "fan", "p@ss")
    assert (database["HOST"], database["PORT"]) == ("db.example.com", "6543")
    assert database["OPTIONS"]["pool"]["max_size"] == 8
    assert database["CONN_MAX_AGE"] == 0


def test_database_url_prepares_statements_unless_told_not_to():
    """Server-side binding and psycopg's prepared statements, for the pooled connections; off
    behind a transaction-mode pooler, which cannot keep them."""
    options = database_from_url("postgres://fan@db.example.com/fansite")["OPTIONS"]
    assert (options["server_side_binding"], options["prepare_threshold"]) == (True, 5)
    url = "postgres://fan@db.example.com/fansite?server_side_binding=false"
    options = database_from_url(url)["OPTIONS"]
    assert "server_side_binding" not in options and "prepare_threshold" not in options


def test_database_url_rejects_other_schemes():
    with pytest.raises(ImproperlyConfigured, match="postgres://"):
        database_from_url("mysql://root@localhost/fansite")


def test_env_bool_rejects_a_word_it_does_not_know(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="true or false"):
        env_bool("SOME_FLAG", default=False)


def test_production_without_redis_shares_a_file_cache_between_workers(tmp_path):
    script = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = PRODUCTION_ENV | {"CACHE_DIR": str(tmp_path)}
    result = run_manage("shell", "--no-imports", "-c", script, env=env)
    assert result.stdout.strip() == "django.core.cache.backends.filebased.FileBasedCache"


def test_production_with_redis_uses_redis():
    script = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = PRODUCTION_ENV | {"REDIS_URL": "redis://127.0.0.1:6379/0"}
    result = run_manage("shell", "--no-imports", "-c", script, env=env)
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_cached_pages_can_have_their_own_evicting_redis():
    script = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['LOCATION'], settings.CACHES['pages']['LOCATION'])"
    )
    env = PRODUCTION_ENV | {
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "REDIS_PAGE_CACHE_URL": "redis://127.0.0.1:6380/0",
    }
    result = run_manage("shell", "--no-imports", "-c", script, env=env)
    assert result.stdout.split() == ["redis://127.0.0.1:6379/0", "redis://127.0.0.1:6380/0"]


def test_sessions_survive_an_evicted_cache():
    """With Redis, sessions are kept in the database; the cache holds only a copy."""
    script = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    env = PRODUCTION_ENV | {"REDIS_URL": "redis://127.0.0.1:6379/0"}
    result = run_manage("shell", "--no-imports", "-c", script, env=env)
    assert result.stdout.strip() == "django.contrib.sessions.backends.cached_db"
