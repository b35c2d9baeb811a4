"""Uploaded media on S3-compatible object storage, shared by every host (STORAGES["default"]
when MEDIA_S3_BUCKET is set; see fansite.env.s3_media_storage).

Every object is served with a year's Cache-Control, immutable, so a CDN or a browser never asks
twice. That is only true if an address never changes content, so:

- an upload always gets a fresh name (a random suffix, and Django's check that no object has
  it), even when no file of its name exists now: a poster deleted and uploaded again under the
  same file name must not come back at the old address a cache still holds;
- sorl-thumbnail names a thumbnail after its source's name and options, so with unique source
  names a thumbnail's address is unique too. sorl checks that a thumbnail exists before it
  draws one, so its names are taken as they are, without asking the bucket a second time.
"""

import posixpath

from sorl.thumbnail.conf import settings as thumbnail_settings
from storages.backends.s3 import S3Storage

CACHE_CONTROL = "public, max-age=31536000, immutable"


class MediaStorage(S3Storage):
    def get_object_parameters(self, name: str) -> dict:
        return {"CacheControl": CACHE_CONTROL, **super().get_object_parameters(name)}

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        if is_thumbnail(name):
            return name
        root, extension = posixpath.splitext(name)
        return super().get_available_name(self.get_alternative_name(root, extension), max_length)


def is_thumbnail(name: str) -> bool:
    return name.startswith(thumbnail_settings.THUMBNAIL_PREFIX)
