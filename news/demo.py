"""Demo content for the news app: written in our own words from ../shared/seed/FACTS.md."""


def seed_news() -> None:
    """Create or update the demo news posts."""
