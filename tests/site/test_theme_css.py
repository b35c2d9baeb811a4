"""The themes' colours work in every browser: plain custom properties, light in :root and dark in
two rules (a dark choice, and a dark system with no choice), not light-dark(), which Safari
< 17.5 and Chrome < 123 do not know (they showed the pages unthemed, black on white)."""

import re
from pathlib import Path

from django.conf import settings

CSS = Path(settings.BASE_DIR) / "static" / "css"
CHOSEN_DARK = ':root[data-theme="dark"]'
SYSTEM_DARK = ':root:not([data-theme="light"])'


def _without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def _declarations(css: str, selector: str) -> dict[str, str]:
    """The custom properties of the one rule with exactly this selector."""
    [body] = re.findall(rf"(?:^|[}}\s]){re.escape(selector)}\s*\{{([^}}]*)\}}", css)
    return {
        name: " ".join(value.split())
        for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", body)
    }


def _site_css() -> str:
    return _without_comments((CSS / "site.css").read_text())


def test_no_stylesheet_depends_on_light_dark():
    for path in CSS.glob("*.css"):
        assert "light-dark(" not in _without_comments(path.read_text()), path.name


def test_dark_values_are_the_same_chosen_or_from_the_system():
    css = _site_css()
    system = re.search(r"@media \(prefers-color-scheme: dark\)\s*\{(.*?\})\s*\}", css, re.S)
    assert system, "no dark rule for a system preference"
    chosen = _declarations(css, CHOSEN_DARK)
    assert chosen
    assert _declarations(system.group(1), SYSTEM_DARK) == chosen


def test_every_dark_colour_overrides_a_light_one():
    css = _site_css()
    light = _declarations(css, ":root")
    dark = _declarations(css, CHOSEN_DARK)
    assert set(dark) <= set(light)
    assert all(dark[name] != light[name] for name in dark)
    # The page's own colours are in both themes.
    assert {"--ink", "--ink-muted", "--paper", "--surface", "--line", "--accent"} <= set(dark)
