"""`make bench`: the site over HTTP, behind gunicorn in production mode, loaded by wrk.

One module per job: `dataset` builds the data set in a database of its own, `server` runs
gunicorn on it, `load` drives wrk, `report` prints the table and the targets of issue 14, and
`__main__` runs them in order. `settings` and `urls` exist only for the bench: they add the
hello-world view (the ceiling every page is compared to) and the query count header, so the
site itself never serves either.
"""
