"""Headers of static files that WhiteNoise has no setting for (imported by settings: no Django
imports here)."""

ONE_YEAR = 365 * 24 * 60 * 60


def add_static_headers(headers, path: str, url: str) -> None:
    """WHITENOISE_ADD_HEADERS_FUNCTION: hashed files, which WhiteNoise marks immutable for ten
    years, are kept for one: HTTP/1.1 held Expires to a year (RFC 2616 14.21), and some caches
    cap max-age there. A new file gets a new hashed name, so a year never serves a stale one."""
    if "immutable" in (headers.get("Cache-Control") or ""):
        headers["Cache-Control"] = f"max-age={ONE_YEAR}, public, immutable"
