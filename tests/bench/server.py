"""gunicorn serving the bench's database with the project's gunicorn.conf.py, on a free loopback
port, its log in a file (every request is logged, as in production)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], log: Path):
    """Yields the base URL once the server answers."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    command = [str(GUNICORN), "--config", str(ROOT / "gunicorn.conf.py"), "fansite.wsgi"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base, process, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within a minute:\n{log.read_text()[-3000:]}")


def worker_settings(env: dict[str, str]) -> str:
    """Workers, worker class and threads as gunicorn.conf.py reads them from `env`."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        config: dict = {}
        exec((ROOT / "gunicorn.conf.py").read_text(), config)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    threads = f", {config['threads']} threads each" if config["worker_class"] == "gthread" else ""
    restarts = ""
    if config.get("max_requests"):
        # Fast pages meet this within their run: a worker restarting costs them a little.
        most = config["max_requests"] + config.get("max_requests_jitter", 0)
        restarts = f", each restarted after {config['max_requests']}-{most} requests"
    return f"{config['workers']} {config['worker_class']} workers{threads}{restarts}"


def last_traceback(log: Path, lines: int = 40) -> str:
    """The end of the last traceback in the log, its error and the 3 lines after (a database
    error's LINE and HINT), or "" if there is none."""
    text = log.read_text(errors="replace")
    start = text.rfind("Traceback (most recent call last)")
    if start < 0:
        return ""
    found = text[start:].splitlines()
    end = next((n for n, line in enumerate(found[1:], 1) if not line.startswith(" ")), 0)
    return "\n".join(found[: end + 4][-lines:])
