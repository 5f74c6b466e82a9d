"""Schemathesis hooks for traingate's schema fuzzing (scripts/schema-fuzz).

`POST /v1/admissions/batch` takes `application/x-ndjson`, which schemathesis has no serializer
for; the spec describes the body as a string (one JSON object per line), so it is sent as is.
"""

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")
