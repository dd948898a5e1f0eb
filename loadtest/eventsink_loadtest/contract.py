"""The EventSink HTTP contract as the users check it: request headers, the knobs of the checks,
and the helpers every catch_response block uses.

HttpUser and FastHttpUser clients accept the same request arguments and return responses with
status_code, text and headers, so the same checks run on both.
"""

import json
import os

ORIGIN = os.environ.get("LOADTEST_ORIGIN", "https://player.example.com")
BEACON_SHARE = float(os.environ.get("LOADTEST_BEACON_SHARE", "0.1") or 0)

JSON_HEADERS = {"Content-Type": "application/json"}
# navigator.sendBeacon() posts a string body as text/plain; the body is still JSON.
BEACON_HEADERS = {"Content-Type": "text/plain;charset=UTF-8"}
# Some players send no content type at all.
NO_CONTENT_TYPE_HEADERS = {}

INVALID_MESSAGE = "Invalid player event"


def parse_json(resp):
    try:
        return json.loads(resp.text or "")
    except (TypeError, ValueError):
        return None


def snippet(resp):
    try:
        text = resp.text or ""
    except Exception:  # noqa: BLE001 - a broken response must still be reported
        text = ""
    text = text.replace("\n", " ")
    return text[:160] + ("..." if len(text) > 160 else "")


def header(resp, name):
    headers = getattr(resp, "headers", None)
    if not headers:
        return None
    value = headers.get(name)
    if value is None:  # FastHttp header objects are case-insensitive too, but be safe
        lname = name.lower()
        for key in list(headers.keys()):
            if key.lower() == lname:
                return headers[key]
    return value


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def finish(resp, check):
    """Run check(resp) -> None | problem string inside a catch_response block and report;
    True when the answer passed."""
    try:
        problem = check(resp)
    except Exception as exc:  # noqa: BLE001 - an exception must become a failure, never be lost
        problem = "response check raised %r" % (exc,)
    if problem:
        resp.failure(problem)
        return False
    resp.success()
    return True


def status_problem(resp, expected):
    status = getattr(resp, "status_code", 0) or 0
    if status == expected:
        return None
    if status == 0:
        return "no response (connection error: %s)" % (getattr(resp, "error", None),)
    extra = ""
    if status in (429, 503):
        extra = " Retry-After=%s" % (header(resp, "Retry-After"),)
    return "expected HTTP %d, got %d%s: %s" % (expected, status, extra, snippet(resp))
