"""`make serve`: a random local secret key, and check --deploy bar the checks plain http fails."""

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fansite.management.commands.local_secret_key import MIN_LENGTH, local_secret_key

ROOT = Path(__file__).resolve().parents[2]
HTTPS_ONLY_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]


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


@pytest.fixture
def serve_env(tmp_path) -> dict:
    """The variables `make serve` sets, with a key made as it makes one."""
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",
        "DJANGO_LOCAL_SERVE": "true",
        "DJANGO_SECRET_KEY": local_secret_key(tmp_path / "secret_key"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def test_local_secret_key_is_made_long_random_and_readable_by_its_owner_only(tmp_path):
    path = tmp_path / ".local" / "secret_key"
    out = io.StringIO()
    call_command("local_secret_key", path=path, stdout=out)
    key = out.getvalue().strip()
    assert len(key) >= MIN_LENGTH
    assert path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_local_secret_key_is_reused_on_later_runs(tmp_path):
    path = tmp_path / "secret_key"
    assert local_secret_key(path) == local_secret_key(path)


def test_local_secret_keys_of_two_checkouts_differ(tmp_path):
    assert local_secret_key(tmp_path / "one") != local_secret_key(tmp_path / "two")


def test_local_secret_key_refuses_a_file_others_can_read(tmp_path):
    path = tmp_path / "secret_key"
    local_secret_key(path)
    path.chmod(0o644)
    with pytest.raises(CommandError, match="other users"):
        local_secret_key(path)


def test_local_secret_key_refuses_a_short_key(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("guessable")
    path.chmod(0o600)
    with pytest.raises(CommandError, match="usable secret key"):
        local_secret_key(path)


def test_check_deploy_passes_with_make_serve_settings(serve_env):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=serve_env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_plain_http_fails_the_https_checks_unless_make_serve_asks(serve_env):
    del serve_env["DJANGO_LOCAL_SERVE"]
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=serve_env)
    assert result.returncode != 0
    for check in HTTPS_ONLY_CHECKS:
        assert check in result.stderr


def test_make_serve_still_fails_on_any_other_deploy_warning(serve_env):
    serve_env["DJANGO_SECRET_KEY"] = "local-serve-myhost-not-for-production"
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=serve_env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def silenced_checks(env: dict) -> str:
    script = "from django.conf import settings; print(settings.SILENCED_SYSTEM_CHECKS)"
    result = run_manage("shell", "--no-imports", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_make_serve_with_an_smtp_host_silences_exactly_the_https_checks(serve_env):
    serve_env["EMAIL_HOST"] = "smtp.example.com"
    assert silenced_checks(serve_env) == str(HTTPS_ONLY_CHECKS)


def test_local_serve_silences_nothing_when_https_is_on(serve_env):
    del serve_env["DJANGO_HTTPS"]
    assert silenced_checks(serve_env) == "[]"
