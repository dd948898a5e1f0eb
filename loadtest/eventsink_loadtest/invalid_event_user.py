"""InvalidEventUser: only bad input; every request must be answered 400 (405 for a wrong method on /)."""

import itertools
import random

from locust import HttpUser, between

from eventsink_loadtest.contract import (
    BEACON_HEADERS,
    BEACON_SHARE,
    INVALID_MESSAGE,
    JSON_HEADERS,
    finish,
    parse_json,
    snippet,
    status_problem,
)
from eventsink_loadtest.epas import dumps
from eventsink_loadtest.invalid_events import INVALID_TYPES, MALFORMED_JSON, MISSING_FIELDS, SCHEMA_VIOLATIONS
from eventsink_loadtest.shadowing import assert_no_shadowing


class InvalidEventUser(HttpUser):
    """Malformed JSON, events missing required fields, invalid event types and other schema
    violations: each must be answered 400 with valid: false; anything else is a failure."""

    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        # walk each list from a random offset so a short run still covers every variant
        self._cases = {
            key: self._rotated(cases)
            for key, cases in (
                ("malformed JSON", MALFORMED_JSON),
                ("missing field", MISSING_FIELDS),
                ("invalid event type", INVALID_TYPES),
                ("schema violation", SCHEMA_VIOLATIONS),
            )
        }

    @staticmethod
    def _rotated(cases):
        offset = random.randrange(len(cases))
        return itertools.cycle(cases[offset:] + cases[:offset])

    def _post_invalid(self, group):
        label, build = next(self._cases[group])
        body = build()
        if isinstance(body, dict):
            sent_sid = body.get("sessionId")
            body = dumps(body)
        else:
            sent_sid = None
        raw = body if isinstance(body, str) else body.decode("utf-8", "replace")
        headers = BEACON_HEADERS if random.random() < BEACON_SHARE else JSON_HEADERS

        def check(resp):
            problem = status_problem(resp, 400)
            if problem:
                return "%s (%s)" % (problem, label)
            answer = parse_json(resp)
            if not isinstance(answer, dict):
                return "400 without a JSON object body (%s): %s" % (label, snippet(resp))
            if answer.get("valid") is not False:
                return "400 answer does not say valid: false (%s): %s" % (label, snippet(resp))
            if answer.get("message") != INVALID_MESSAGE:
                return "400 answer message %r (%s)" % (answer.get("message"), label)
            # contract: "sessionId": <id or -1>. From a body that is not a JSON object (truncated,
            # garbage after it) a service may still recover the id: accept it when it was sent.
            sid = answer.get("sessionId")
            if sid != -1 and sid != sent_sid:
                if not (sent_sid is None and isinstance(sid, str) and dumps({"sessionId": sid})[1:-1] in raw):
                    return "400 answer sessionId %r, want -1 or %r (%s)" % (sid, sent_sid, label)
            return None

        with self.client.post(
            "/", data=body, headers=headers, name="/ [invalid: %s]" % group, catch_response=True
        ) as resp:
            finish(resp, check)

    def malformed_json(self):
        self._post_invalid("malformed JSON")

    def missing_required_field(self):
        self._post_invalid("missing field")

    def invalid_event_type(self):
        self._post_invalid("invalid event type")

    def schema_violation(self):
        self._post_invalid("schema violation")

    def wrong_method(self):
        """Another method on / must be answered 405."""
        method = random.choice(("GET", "PUT", "DELETE"))
        with self.client.request(method, "/", name="/ [wrong method -> 405]", catch_response=True) as resp:
            finish(resp, lambda r: status_problem(r, 405))

    tasks = {
        malformed_json: 3,
        missing_required_field: 3,
        invalid_event_type: 3,
        schema_violation: 3,
        wrong_method: 1,
    }


assert_no_shadowing(InvalidEventUser)
