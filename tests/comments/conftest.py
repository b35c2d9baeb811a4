import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """These tests make many users; a real password hasher would dominate their run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
