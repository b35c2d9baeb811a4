// The post form: says what saving will do with the publication date (issue 11).
