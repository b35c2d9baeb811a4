"""Cache backends of our own."""

import pickle

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class PlainFileBasedCache(FileBasedCache):
    """Django's file cache without its zlib, for the page cache on a host without Redis: a
    page is read far more often than written, and inflating a 25 KB page on every hit cost as
    much as the rest of the hit. Gzipped variants are stored gzipped already (page_cache).
    An entry this cannot read (written by the zlib backend before a deploy) is a miss."""

    def get(self, key, default=None, version=None):
        fname = self._key_to_file(key, version)
        try:
            with open(fname, "rb") as f:
                if not self._is_expired(f):
                    return pickle.load(f)
        except FileNotFoundError:
            pass
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            pass
        return default

    def _write_content(self, file, timeout, value):
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            with open(self._key_to_file(key, version), "r+b") as f:
                try:
                    locks.lock(f, locks.LOCK_EX)
                    if self._is_expired(f):
                        return False
                    previous_value = pickle.load(f)
                    f.seek(0)
                    self._write_content(f, timeout, previous_value)
                    return True
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            return False
