"""The page cache's file backend without zlib (fansite.cache_backends): a hit reads the page
as stored, and an entry it cannot read is a miss, not an error."""

import pickle
import zlib

import pytest

from fansite.cache_backends import PlainFileBasedCache

PAGE = {"status": 200, "headers": [("Content-Type", "text/html")], "content": b"<p>hi</p>" * 500}


@pytest.fixture
def pages(tmp_path):
    return PlainFileBasedCache(tmp_path, {})


def test_stores_and_reads_a_page(pages):
    pages.set("page", PAGE, 60)
    assert pages.get("page") == PAGE


def test_stores_the_page_uncompressed(pages, tmp_path):
    pages.set("page", PAGE, 60)
    (stored,) = tmp_path.glob("*.djcache")
    assert PAGE["content"] in stored.read_bytes()


def test_an_expired_page_is_a_miss(pages):
    pages.set("page", PAGE, -1)
    assert pages.get("page", "missing") == "missing"


def test_touch_keeps_the_page(pages):
    pages.set("page", PAGE, 60)
    assert pages.touch("page", 600)
    assert pages.get("page") == PAGE
    assert not pages.touch("no-such-page")


def test_an_entry_written_by_djangos_zlib_backend_is_a_miss(pages):
    """The file a deploy before this one left in the same directory."""
    pages.set("page", PAGE, 60)
    path = pages._key_to_file("page")
    with open(path, "r+b") as stored:
        expiry = pickle.load(stored)
        stored.seek(0)
        stored.write(pickle.dumps(expiry) + zlib.compress(pickle.dumps(PAGE)))
        stored.truncate()
    assert pages.get("page", "missing") == "missing"
