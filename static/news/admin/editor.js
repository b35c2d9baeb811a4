// The post form: character counters, live Markdown preview, suggested links (issue 11).
