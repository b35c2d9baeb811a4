"""The validators the browser tests run over every page type: the Nu HTML checker (the `vnu-jar`
npm package, on Java) and axe-core (the `axe-core` npm package, injected into the page).

`npm ci` at the repository root installs both into node_modules/ (`make test` does it when npm is
there). Without Java or the packages the validator tests are skipped, loudly; in CI, which
installs them, that is an error instead.
"""

import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
JAVA = shutil.which("java")


def missing() -> list[str]:
    """What the validator tests lack on this machine, said so a person can fix it."""
    lacking = []
    if not JAVA:
        lacking.append("java (Debian/Ubuntu: sudo apt-get install default-jre-headless)")
    if not VNU_JAR.exists() or not AXE_JS.exists():
        lacking.append("the vnu-jar and axe-core npm packages (run: npm ci, with Node.js and npm)")
    return lacking


MISSING = missing()
NOT_INSTALLED_MESSAGE = [
    "!" * 72,
    "VALIDATOR TESTS SKIPPED (Nu HTML checker, axe-core): missing",
    *(f"  - {what}" for what in MISSING),
    "  then run make test again (it runs npm ci when npm is there).",
    "!" * 72,
]


def nu_check(pages: dict[str, str], folder: Path) -> dict[str, list[dict]]:
    """Check the HTML of every page in ONE run of the checker (the JVM is slow to start).
    Returns each page's messages: `type` is "error", or "info" with `subType` "warning"."""
    for name, html in pages.items():
        (folder / f"{name}.html").write_text(html, encoding="utf-8")
    command = [JAVA, "-jar", str(VNU_JAR), "--format", "json", "--stdout"]
    files = [str(folder / f"{name}.html") for name in pages]
    result = subprocess.run(command + files, capture_output=True, text=True, timeout=300)
    messages: dict[str, list[dict]] = {name: [] for name in pages}
    for message in json.loads(result.stdout)["messages"]:
        messages.setdefault(Path(message.get("url", "?")).stem, []).append(message)
    return messages


def nu_line(page: str, message: dict) -> str:
    where = f"line {message.get('lastLine', '?')}"
    extract = " ".join(message.get("extract", "").split())
    return f"{page}: {where}: {message['message']} [{extract[:120]}]"


def axe_lines(page: str, violations: list[dict]) -> list[str]:
    return [
        f"{page}: {violation['id']} ({violation.get('impact')}): {violation['help']}"
        f" at {' '.join(map(str, node['target']))}: {' '.join(node['failureSummary'].split())}"
        for violation in violations
        for node in violation["nodes"]
    ]
