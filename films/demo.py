"""Demo content for the films app: written in our own words from ../shared/seed/FACTS.md."""


def seed_films() -> None:
    """Create or update the demo films, people, characters and credits."""
