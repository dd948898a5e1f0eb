"""BatchEventSinkUser: batches of EPAS events on POST / as JSON arrays and NDJSON, some compressed."""

import collections
import gzip
import random
import zlib

from locust import FastHttpUser, between, task

from eventsink_loadtest.contract import BEACON_HEADERS, finish, header, parse_json, snippet, status_problem
from eventsink_loadtest.epas import dumps
from eventsink_loadtest.invalid_events import INVALID_TYPES, MISSING_FIELDS, SCHEMA_VIOLATIONS
from eventsink_loadtest.player_session import PlayerSession, player_actions
from eventsink_loadtest.shadowing import assert_no_shadowing
from eventsink_loadtest.tally import TALLY


class _CollectedSession(PlayerSession):
    """EventSinkUser's player session, its events collected for a batch instead of POSTed."""

    def __init__(self, sink):
        self._sink = sink
        self.on_start()  # the session's first events: init, metadata, loading, loaded, playing

    def post_event(self, event):
        self._sink.append(event)


# a collected session takes the steps EventSinkUser's sessions take, in the same shares
_BATCH_ACTIONS = tuple(player_actions(heartbeat_weight=12).items())
# EPAS-invalid events (valid JSON objects: an array element must stay one) ...
BATCH_INVALID_EVENTS = [build for _label, build in MISSING_FIELDS + INVALID_TYPES + SCHEMA_VIOLATIONS]
# ... and, in NDJSON only, lines that are not a JSON object at all
BATCH_MALFORMED_LINES = [
    '{"event":"heartbeat","sessionId":"broken-line","timestamp":1',
    "this is not json",
    '{"event":"init","sessionId":"x",timestamp:-1,"playhead":-1,"duration":-1}',
    "null",
    '"heartbeat"',
    "[1,2]",
]
BATCH_INVALID_SHARE = 0.25


def _batch_size():
    roll = random.random()
    if roll < 0.6:
        return random.randint(2, 10)
    if roll < 0.9:
        return random.randint(11, 50)
    return random.randint(51, 100)


class BatchEventSinkUser(FastHttpUser):
    """An SDK or relay that batches EPAS events of a few player sessions: JSON arrays and NDJSON,
    30 % gzip (a few deflate), a quarter with one invalid event. Each POST must be answered 200 with
    every valid event stored and every invalid one reported invalid."""

    weight = 1  # share in mixed runs
    wait_time = between(0.5, 2)

    def on_start(self):
        self.collected = []
        self.players = [_CollectedSession(self.collected) for _ in range(random.randint(1, 4))]

    def next_events(self, count):
        """The next `count` events of the players' sessions, in the order they happened."""
        actions, weights = zip(*_BATCH_ACTIONS)
        while len(self.collected) < count:
            random.choices(actions, weights)[0](random.choice(self.players))
        batch = self.collected[:count]
        del self.collected[:count]
        return batch

    @task
    def post_batch(self):
        valid = self.next_events(_batch_size())
        ndjson = random.random() < 0.5
        # (encoded line, the event or None when invalid, the sessionId sent or None)
        entries = [(dumps(event), event, event["sessionId"]) for event in valid]
        if random.random() < BATCH_INVALID_SHARE:
            if ndjson and random.random() < 0.3:
                bad = random.choice(BATCH_MALFORMED_LINES)
                entry = (bad, None, None)
            else:
                bad = random.choice(BATCH_INVALID_EVENTS)()
                sid = bad.get("sessionId")
                entry = (dumps(bad), None, sid if isinstance(sid, str) else None)
            entries.insert(random.randint(0, len(entries)), entry)

        if ndjson:
            roll = random.random()
            newline = "\r\n" if roll < 0.15 else "\n"
            body = newline.join(line for line, _e, _s in entries) + ("" if roll > 0.85 else newline)
            headers = {"Content-Type": "application/x-ndjson"}
            shape = "ndjson"
        else:
            if random.random() < 0.2:
                body = "[\n  " + ",\n  ".join(line for line, _e, _s in entries) + "\n]\n"
            else:
                body = "[" + ",".join(line for line, _e, _s in entries) + "]"
            headers = {"Content-Type": BEACON_HEADERS["Content-Type"] if random.random() < 0.1 else "application/json"}
            shape = "json"
        data = body.encode("utf-8")
        roll = random.random()
        if roll < 0.3:
            data = gzip.compress(data, compresslevel=6)
            headers["Content-Encoding"] = "gzip"
            shape += " gzip"
        elif roll < 0.35:
            data = zlib.compress(data)  # HTTP's "deflate" is the zlib format
            headers["Content-Encoding"] = "deflate"
            shape += " deflate"

        sent = collections.Counter(event["event"] for event in valid)
        TALLY.sent("events", sent)
        n_valid = len(valid)
        n_invalid = len(entries) - n_valid

        def tally_stored(answer):
            results = answer.get("results") if isinstance(answer, dict) else None
            if not isinstance(results, list):
                return
            stored = collections.Counter(
                entries[r["index"]][1]["event"]
                for r in results
                if isinstance(r, dict)
                and r.get("status") == "stored"
                and isinstance(r.get("index"), int)
                and 0 <= r["index"] < len(entries)
                and entries[r["index"]][1] is not None
            )
            TALLY.stored("events", stored)

        def check(resp):
            answer = parse_json(resp)
            tally_stored(answer)
            if getattr(resp, "status_code", 0) == 503 and isinstance(answer, dict):
                # the same message for every such answer, so that Locust's error report groups them
                reasons = sorted(
                    {str(r.get("reason")) for r in answer.get("results") or () if isinstance(r, dict) and "reason" in r}
                )
                return "expected HTTP 200, got 503 Retry-After=%s: events not stored (%s)" % (
                    header(resp, "Retry-After"),
                    ", ".join(reasons) or "no reason given",
                )
            problem = status_problem(resp, 200)
            if problem:
                return problem
            if not isinstance(answer, dict):
                return "200 without a JSON object body: %s" % snippet(resp)
            want = {"events": len(entries), "stored": n_valid, "invalid": n_invalid, "notStored": 0}
            for key, value in want.items():
                if answer.get(key) != value:
                    return "%s is %r, want %d (%d valid + %d invalid sent)" % (
                        key,
                        answer.get(key),
                        value,
                        n_valid,
                        n_invalid,
                    )
            if answer.get("valid") is not (n_invalid == 0):
                return "valid is %r with %d invalid events sent" % (answer.get("valid"), n_invalid)
            results = answer.get("results")
            if not isinstance(results, list) or len(results) != len(entries):
                return "results: want a list of %d, got %s" % (len(entries), snippet(resp))
            for i, ((line, event, sid), result) in enumerate(zip(entries, results)):
                if not isinstance(result, dict) or result.get("index") != i:
                    return "results[%d] is %r" % (i, result)
                status = result.get("status")
                if event is not None:
                    if status != "stored":
                        return "results[%d] (%s) is %r, want stored" % (i, event["event"], result)
                    if result.get("sessionId") != sid:
                        return "results[%d] sessionId %r, sent %r" % (i, result.get("sessionId"), sid)
                else:
                    if status != "invalid":
                        return "results[%d] (the invalid event %s) is %r, want invalid" % (i, line[:80], result)
                    errors = result.get("errors")
                    if not isinstance(errors, list) or not errors:
                        return "results[%d] invalid without errors: %r" % (i, result)
                    got = result.get("sessionId")
                    if got != -1 and got != sid and not (isinstance(got, str) and dumps(got) in line):
                        return "results[%d] sessionId %r, want -1 or %r" % (i, got, sid)
            return None

        with self.client.post(
            "/", data=data, headers=headers, name="/ [batch %s]" % shape, catch_response=True
        ) as resp:
            finish(resp, check)


assert_no_shadowing(BatchEventSinkUser)
