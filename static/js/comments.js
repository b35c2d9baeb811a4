// Discussions: spoilers, quote-reply and htmx niceties (owned by the comments app).
