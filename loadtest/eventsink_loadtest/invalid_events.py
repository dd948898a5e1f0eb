"""The bad input InvalidEventUser sends (each must be answered 400) and BatchEventSinkUser slips into
some batches: malformed JSON, missing fields, invalid event types, other schema violations.

Each catalogue is a list of (label, builder); a builder returns a str/bytes body (sent verbatim) or a
dict (JSON-encoded)."""

import uuid

from eventsink_loadtest.epas import dumps, now_ms


def valid_heartbeat():
    return {
        "event": "heartbeat",
        "sessionId": "invalid-" + uuid.uuid4().hex[:12],
        "timestamp": now_ms(),
        "playhead": 12_000,
        "duration": 600_000,
    }


def _without(key):
    def build():
        event = valid_heartbeat()
        del event[key]
        return event

    return build


def _with(**changes):
    def build():
        event = valid_heartbeat()
        event.update(changes)
        return event

    return build


MALFORMED_JSON = [
    ("truncated", lambda: '{"event":"heartbeat","sessionId":"abc","timestamp":1'),
    ("not json", lambda: "this is not json"),
    ("empty body", lambda: ""),
    ("unquoted key", lambda: '{"event":"init","sessionId":"x",timestamp:-1,"playhead":-1,"duration":-1}'),
    ("trailing garbage", lambda: dumps(valid_heartbeat()) + "}"),
    # (a JSON array is no longer malformed: since issue 10 it is a batch, see BatchEventSinkUser)
    ("number", lambda: "42"),
    ("string", lambda: '"heartbeat"'),
    ("null", lambda: "null"),
    ("invalid utf-8", lambda: b'{"event":"heartbeat","sessionId":"\xff\xfe"}'),
]
MISSING_FIELDS = [
    ("no event", _without("event")),
    ("no sessionId", _without("sessionId")),
    ("no timestamp", _without("timestamp")),
    ("no playhead", _without("playhead")),
    ("no duration", _without("duration")),
    ("metadata without payload", _with(event="metadata")),
    ("bitrate_changed without payload", _with(event="bitrate_changed")),
    ("stopped without payload", _with(event="stopped")),
    ("error without payload", _with(event="error")),
    ("warning without payload", _with(event="warning")),
    ("bitrate_changed without bitrate", _with(event="bitrate_changed", payload={"width": 1280, "height": 720})),
    ("stopped without reason", _with(event="stopped", payload={})),
    ("error without code", _with(event="error", payload={"category": "NETWORK", "message": "x"})),
    ("empty object", lambda: {}),
]
INVALID_TYPES = [
    ("unknown name", _with(event="play")),
    ("upper case", _with(event="HEARTBEAT")),
    ("mixed case", _with(event="Init")),
    ("dash instead of underscore", _with(event="bitrate-changed", payload={"bitrate": 1})),
    ("empty name", _with(event="")),
    ("number", _with(event=3)),
    ("null", _with(event=None)),
    ("array", _with(event=["heartbeat"])),
]
SCHEMA_VIOLATIONS = [
    ("timestamp as string", _with(timestamp="1700000000000")),
    ("playhead null", _with(playhead=None)),
    ("duration boolean", _with(duration=True)),
    ("sessionId number", _with(sessionId=12345)),
    ("extra top-level property", _with(foo="bar")),
    ("payload on heartbeat", _with(payload={"x": 1})),
    ("payload on init", _with(event="init", payload={})),
    ("shardId number", _with(shardId=7)),
    ("bitrate as string", _with(event="bitrate_changed", payload={"bitrate": "3000"})),
    ("bitrate_changed extra key", _with(event="bitrate_changed", payload={"bitrate": 3000, "fps": 25})),
    ("stopped reason number", _with(event="stopped", payload={"reason": 1})),
    ("stopped extra key", _with(event="stopped", payload={"reason": "ended", "by": "user"})),
    ("error extra key", _with(event="error", payload={"code": "1", "fatal": True})),
    ("metadata live as string", _with(event="metadata", payload={"live": "yes"})),
    ("metadata custom number", _with(event="metadata", payload={"contentId": "a", "custom": 3})),
    ("metadata payload array", _with(event="metadata", payload=["live"])),
]
