"""Demo content for the comments app: a few users and discussions."""


def seed_discussions() -> None:
    """Create or update the demo discussions."""
