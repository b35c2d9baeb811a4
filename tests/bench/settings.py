"""The site's settings plus what only the bench needs; selected by DJANGO_SETTINGS_MODULE, which
`make bench` alone sets, so production never loads it."""

import os

from fansite.settings import *  # noqa: F403
from fansite.settings import CACHES, MIDDLEWARE

ROOT_URLCONF = "tests.bench.urls"
# First, so that it counts the queries of every middleware below and of the view.
MIDDLEWARE = ["tests.bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

# A shared Redis keeps its other keys: this run's are prefixed and deleted when it ends.
RUN_PREFIX = os.environ.get("BENCH_RUN_PREFIX", "bench")
CACHES = {
    alias: {**cache, "KEY_PREFIX": f"{RUN_PREFIX}-{cache.get('KEY_PREFIX', alias)}"}
    for alias, cache in CACHES.items()
}
