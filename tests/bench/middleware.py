"""SQL queries per request, for the bench: a request sending `X-Bench-Queries` gets the number
of queries it made back in the same header."""

from django.db import connection

HEADER = "X-Bench-Queries"
META_KEY = "HTTP_X_BENCH_QUERIES"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if META_KEY not in request.META:  # request.headers would copy every header first.
            return self.get_response(request)
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response[HEADER] = str(len(queries))
        return response
