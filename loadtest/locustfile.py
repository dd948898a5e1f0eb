"""Locust load tests for the EventSink API (EPAS 0.5.0 player events, HTTP in -> SQS out).

User classes (pick them by name on the command line, alone or together):

  EventSinkUser            (default) realistic player sessions, 1-3 s between tasks
  HighVolumeEventSinkUser  the same sessions plus rapid heartbeats every 0.1-0.5 s (FastHttpUser),
                           for stress testing the queue path
  InvalidEventUser         malformed / incomplete / unknown events that must all be answered 400
  CmcdEventUser            CMCD v2 players in event mode: 1-10 reports per POST /cmcd, every play
                           state, some reports without sid; each POST must be answered 204
  BatchEventSinkUser       batches of EPAS events on / as JSON arrays and NDJSON, some gzip, some with
                           one invalid event; each must be answered 200 with the right per-event results

Run without class names, only EventSinkUser runs. Every request is checked with catch_response
against the EventSink HTTP contract (README.md, docs/epas.md).

Pass/fail gate (works on Locust 2.12 and current 2.x): when the run ends, the process exits
non-zero if the failure ratio or the p95 response time is above its threshold:

  --max-failure-ratio 0.01   or env LOADTEST_MAX_FAILURE_RATIO  (0 = any failure fails the run)
  --max-p95-ms 500           or env LOADTEST_MAX_P95_MS
  --min-requests 1           or env LOADTEST_MIN_REQUESTS       (only checked when a gate is set)

Unset thresholds are not checked (Locust itself still exits 1 when any request failed).
Other knobs (env): LOADTEST_ORIGIN (Origin header of the CORS check, default https://player.example.com),
LOADTEST_BEACON_SHARE (share of events sent as text/plain like navigator.sendBeacon, default 0.1),
LOADTEST_USER_WEIGHTS (the classes' shares in mixed runs, e.g. "EventSinkUser=3,CmcdEventUser=2"),
LOADTEST_TALLY_FILE (write what the service acknowledged, as JSON, when a standalone run quits).
"""

import collections
import gzip
import itertools
import json
import logging
import os
import random
import time
import uuid
import zlib

from locust import FastHttpUser, HttpUser, between, events, task
from locust.runners import LocalRunner, WorkerRunner

log = logging.getLogger("eventsink.loadtest")

# --------------------------------------------------------------------------------------------
# EPAS 0.5.0 facts
# --------------------------------------------------------------------------------------------

EVENT_TYPES = (
    "init",
    "metadata",
    "heartbeat",
    "loading",
    "loaded",
    "playing",
    "paused",
    "buffering",
    "buffered",
    "seeking",
    "seeked",
    "bitrate_changed",
    "error",
    "warning",
    "stopped",
)

ORIGIN = os.environ.get("LOADTEST_ORIGIN", "https://player.example.com")
BEACON_SHARE = float(os.environ.get("LOADTEST_BEACON_SHARE", "0.1") or 0)

JSON_HEADERS = {"Content-Type": "application/json"}
# navigator.sendBeacon() posts a string body as text/plain; the body is still JSON.
BEACON_HEADERS = {"Content-Type": "text/plain;charset=UTF-8"}
# Some players send no content type at all.
NO_CONTENT_TYPE_HEADERS = {}

INVALID_MESSAGE = "Invalid player event"

CONTENT = [
    # (title, id, url, drmType, live, duration ms or -1 for live)
    ("Big Buck Bunny", "bbb-001", "https://cdn.example.com/vod/bbb/master.m3u8", "none", False, 596_000),
    ("Sintel", "sintel-002", "https://cdn.example.com/vod/sintel/manifest.mpd", "widevine", False, 888_000),
    ("Tears of Steel", "tos-003", "https://cdn.example.com/vod/tos/master.m3u8", "fairplay", False, 734_000),
    ("Elephants Dream", "ed-004", "https://cdn.example.com/vod/ed/manifest.mpd", "playready", False, 654_000),
    ("News 24/7", "live-news", "https://live.example.com/news/master.m3u8", "none", True, -1),
    ("Sports Channel", "live-sports", "https://live.example.com/sports/manifest.mpd", "widevine", True, -1),
]
DEVICES = [
    # (deviceType, deviceModel)
    ("desktop", "Chrome 120 / macOS"),
    ("desktop", "Firefox 121 / Windows"),
    ("mobile", "iPhone 15"),
    ("mobile", "Pixel 8"),
    ("tv", "Samsung Tizen 2023"),
    ("tv", "Apple TV 4K"),
]
BITRATE_LADDER = [
    # (total kbps, width, height, video kbps, audio kbps)
    (600, 640, 360, 472, 128),
    (1200, 842, 480, 1072, 128),
    (2500, 1280, 720, 2372, 128),
    (5000, 1920, 1080, 4808, 192),
    (8000, 2560, 1440, 7808, 192),
]
ERRORS = [
    ("NETWORK", "404", "Segment not found"),
    ("NETWORK", "503", "Origin unavailable"),
    ("DRM", "DRM_LICENSE_EXPIRED", "License request failed"),
    ("MEDIA", "MEDIA_ERR_DECODE", "Decoder error"),
]
WARNINGS = [
    ("NETWORK", "SLOW_SEGMENT", "Segment download took longer than its duration"),
    ("PLAYER", "GAP_JUMP", "Jumped over a gap in the buffer"),
    ("ABR", "BANDWIDTH_DROP", "Estimated bandwidth dropped"),
]
STOP_REASONS = ["ended", "aborted", "error", "aborted", "ended"]
INVALID_PATHS = ["/nonexistent", "/api/events", "/v1/events", "/events/", "/favicon.ico"]


def now_ms():
    return int(time.time() * 1000)


def _dumps(obj):
    return json.dumps(obj, separators=(",", ":"))


def _parse_json(resp):
    try:
        return json.loads(resp.text or "")
    except (TypeError, ValueError):
        return None


def _snippet(resp):
    try:
        text = resp.text or ""
    except Exception:  # noqa: BLE001 - a broken response must still be reported
        text = ""
    text = text.replace("\n", " ")
    return text[:160] + ("..." if len(text) > 160 else "")


def _header(resp, name):
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


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _finish(resp, check):
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


def _status_problem(resp, expected):
    status = getattr(resp, "status_code", 0) or 0
    if status == expected:
        return None
    if status == 0:
        return "no response (connection error: %s)" % (getattr(resp, "error", None),)
    extra = ""
    if status in (429, 503):
        extra = " Retry-After=%s" % (_header(resp, "Retry-After"),)
    return "expected HTTP %d, got %d%s: %s" % (expected, status, extra, _snippet(resp))


# --------------------------------------------------------------------------------------------
# Behaviour shared by EventSinkUser (HttpUser) and HighVolumeEventSinkUser (FastHttpUser).
# Both clients accept the same request arguments and return responses with status_code,
# text and headers, so the same checks run on both.
# --------------------------------------------------------------------------------------------


class PlayerSession:
    """One simulated viewing session of an EPAS-instrumented video player."""

    def on_start(self):
        self.heartbeat_interval = None
        self.sessions_started = 0
        self.new_session()

    # -- session state ------------------------------------------------------------------------

    def new_session(self):
        title, content_id, url, drm, live, duration = random.choice(CONTENT)
        device_type, device_model = random.choice(DEVICES)
        self.session_id = str(uuid.uuid4())
        self.live = live
        self.duration = duration
        self.content = (title, content_id, url, drm)
        self.device = (device_type, device_model)
        self.user_id = "user-%06d" % random.randint(1, 250_000)
        self.device_id = "device-%s" % uuid.uuid4().hex[:12]
        # 0.5.0 shardId: some players set it, then on every event of the session.
        self.shard_id = "shard-%d" % random.randint(0, 7) if random.random() < 0.4 else None
        # HTML5 players report currentTime * 1000, often with decimals.
        self.decimal_playhead = random.random() < 0.3
        self.playhead = 0.0
        self.live_latency = random.randint(6_000, 30_000)  # behind the live edge, ms
        self.playing = False
        self.last_tick = time.time()
        self.rendition = random.randrange(len(BITRATE_LADDER))
        self.sessions_started += 1
        self.start_session()

    def start_session(self):
        """init (once per session), metadata, loading, loaded, playing."""
        self.post_event(self.make_event("init", init=True))
        self.post_event(self.make_event("metadata", payload=self.metadata_payload()))
        self.post_event(self.make_event("loading"))
        self.post_event(self.make_event("loaded"))
        self.set_playing(True)
        self.post_event(self.make_event("playing"))

    def metadata_payload(self):
        title, content_id, url, drm = self.content
        device_type, device_model = self.device
        payload = {
            "live": self.live,
            "contentTitle": title,
            "contentId": content_id,
            "contentUrl": url,
            "drmType": drm,
            "userId": self.user_id,
            "deviceId": self.device_id,
            "deviceModel": device_model,
            "deviceType": device_type,
        }
        if random.random() < 0.5:
            # since EPAS 0.4.0: custom keys with string or boolean values
            payload["playerName"] = "eventsink-loadtest"
            payload["autoplay"] = random.random() < 0.5
        return payload

    def advance(self):
        """Move the playhead by the wall-clock time spent playing since the last event."""
        now = time.time()
        if self.playing:
            self.playhead += (now - self.last_tick) * 1000.0
            if not self.live and self.playhead > self.duration:
                self.playhead = float(self.duration)
        self.last_tick = now

    def set_playing(self, playing):
        self.advance()
        self.playing = playing

    def playhead_value(self):
        if self.live:
            # live: the playhead is the UTC wall-clock time of the frame shown, in milliseconds
            return now_ms() - self.live_latency
        return round(self.playhead, 3) if self.decimal_playhead else int(self.playhead)

    def make_event(self, name, payload=None, init=False):
        if init:
            event = {"event": name, "sessionId": self.session_id, "timestamp": -1, "playhead": -1, "duration": -1}
        else:
            self.advance()
            event = {
                "event": name,
                "sessionId": self.session_id,
                "timestamp": now_ms(),
                "playhead": self.playhead_value(),
                "duration": self.duration,
            }
        if self.shard_id is not None:
            event["shardId"] = self.shard_id
        if payload is not None:
            event["payload"] = payload
        return event

    # -- HTTP ---------------------------------------------------------------------------------

    def post_event(self, event):
        """POST one valid event and check the answer of the EPAS compatibility contract."""
        roll = random.random()
        if roll < BEACON_SHARE:
            headers = BEACON_HEADERS
        elif roll < BEACON_SHARE * 1.3:
            headers = NO_CONTENT_TYPE_HEADERS
        else:
            headers = JSON_HEADERS
        name = event["event"]
        sid = event["sessionId"]

        def check(resp):
            problem = _status_problem(resp, 200)
            if problem:
                return problem
            body = _parse_json(resp)
            if not isinstance(body, dict):
                return "200 without a JSON object body: %s" % _snippet(resp)
            if body.get("sessionId") != sid:
                return "sessionId %r in the answer, sent %r" % (body.get("sessionId"), sid)
            if name == "init":
                interval = body.get("heartbeatInterval")
                if not _is_number(interval) or interval <= 0:
                    return "init answer without a positive numeric heartbeatInterval: %s" % _snippet(resp)
                self.heartbeat_interval = interval
            elif body.get("valid") is not True:
                return "answer does not say valid: true: %s" % _snippet(resp)
            return None

        with self.client.post(
            "/", data=_dumps(event), headers=headers, name="/ [%s]" % name, catch_response=True
        ) as resp:
            _finish(resp, check)

    def cors_preflight(self):
        """OPTIONS / as a browser preflight: 200 and the CORS headers of the contract."""

        def check(resp):
            problem = _status_problem(resp, 200)
            if problem:
                return problem
            allow_origin = _header(resp, "Access-Control-Allow-Origin")
            if allow_origin not in ("*", ORIGIN):
                return "Access-Control-Allow-Origin is %r (want * or %s)" % (allow_origin, ORIGIN)
            methods = [m.strip().upper() for m in (_header(resp, "Access-Control-Allow-Methods") or "").split(",")]
            if "POST" not in methods or "OPTIONS" not in methods:
                return "Access-Control-Allow-Methods lacks POST/OPTIONS: %r" % (methods,)
            allowed = [h.strip().lower() for h in (_header(resp, "Access-Control-Allow-Headers") or "").split(",")]
            for needed in ("content-type", "origin", "x-epas-event", "x-epas-version"):
                if needed not in allowed:
                    return "Access-Control-Allow-Headers lacks %s: %r" % (needed, allowed)
            return None

        headers = {
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        }
        with self.client.request("OPTIONS", "/", headers=headers, name="/ [cors preflight]", catch_response=True) as resp:
            _finish(resp, check)

    def invalid_endpoint(self):
        """A request to a path that does not exist must be answered 404."""
        path = random.choice(INVALID_PATHS)
        if random.random() < 0.5:
            ctx = self.client.get(path, name="[invalid endpoint -> 404]", catch_response=True)
        else:
            ctx = self.client.post(
                path,
                data=_dumps(self.make_event("heartbeat")),
                headers=JSON_HEADERS,
                name="[invalid endpoint -> 404]",
                catch_response=True,
            )
        with ctx as resp:
            _finish(resp, lambda r: _status_problem(r, 404))

    # -- tasks (the weights are set per user class) ---------------------------------------------

    def send_heartbeat(self):
        self.post_event(self.make_event("heartbeat"))

    def toggle_pause(self):
        if self.playing:
            self.set_playing(False)
            self.post_event(self.make_event("paused"))
        else:
            self.set_playing(True)
            self.post_event(self.make_event("playing"))

    def rebuffer(self):
        was_playing = self.playing
        self.set_playing(False)
        self.post_event(self.make_event("buffering"))
        self.post_event(self.make_event("buffered"))
        if was_playing:
            self.set_playing(True)
            self.post_event(self.make_event("playing"))

    def seek_playhead(self):
        self.advance()
        self.post_event(self.make_event("seeking"))
        if self.live:
            # a live seek jumps within the DVR window: further behind or back towards the edge
            self.live_latency = random.randint(6_000, 2 * 3600 * 1000)
        else:
            self.playhead = float(random.randint(0, max(self.duration - 10_000, 0)))
        self.last_tick = time.time()
        self.post_event(self.make_event("seeked"))

    def switch_bitrate(self):
        self.rendition = max(0, min(len(BITRATE_LADDER) - 1, self.rendition + random.choice((-1, 1))))
        total, width, height, video, audio = BITRATE_LADDER[self.rendition]
        payload = {"bitrate": total, "width": width, "height": height, "videoBitrate": video, "audioBitrate": audio}
        self.post_event(self.make_event("bitrate_changed", payload=payload))

    def report_warning(self):
        category, code, message = random.choice(WARNINGS)
        self.post_event(self.make_event("warning", payload={"category": category, "code": code, "message": message}))

    def report_error(self):
        category, code, message = random.choice(ERRORS)
        payload = {"category": category, "code": code, "message": message}
        if random.random() < 0.5:
            payload["data"] = {"url": self.content[2], "retries": random.randint(0, 3), "fatal": False}
        self.post_event(self.make_event("error", payload=payload))

    def end_session(self):
        """stopped with a reason ends the session; a new one starts right away."""
        self.set_playing(False)
        if not self.live and self.playhead >= self.duration:
            reason = "ended"
        else:
            reason = random.choice(STOP_REASONS)
        self.post_event(self.make_event("stopped", payload={"reason": reason}))
        self.new_session()

    def maybe_end(self):
        """A VOD session whose playhead reached the end stops with reason ended."""
        if not self.live and self.playhead >= self.duration:
            self.end_session()
            return True
        return False

    def heartbeat_or_end(self):
        self.advance()
        if not self.maybe_end():
            self.send_heartbeat()


def _session_tasks(heartbeat_weight):
    return {
        PlayerSession.heartbeat_or_end: heartbeat_weight,
        PlayerSession.toggle_pause: 3,
        PlayerSession.rebuffer: 2,
        PlayerSession.seek_playhead: 2,
        PlayerSession.switch_bitrate: 3,
        PlayerSession.report_warning: 1,
        PlayerSession.report_error: 1,
        PlayerSession.end_session: 1,
        PlayerSession.cors_preflight: 1,
        PlayerSession.invalid_endpoint: 1,
    }


# PlayerSession is mixed into User classes: none of its names may shadow a User attribute
# (a task called "stop" would replace User.stop() and break shutdown).
_CLASHES = sorted(
    n
    for n in vars(PlayerSession)
    if n != "on_start" and not n.startswith("__") and (hasattr(HttpUser, n) or hasattr(FastHttpUser, n))
)
assert not _CLASHES, "PlayerSession shadows User attributes: %s" % _CLASHES


class EventSinkUser(PlayerSession, HttpUser):
    """Realistic player sessions: init once, metadata, heartbeats (most frequent), playback
    events, bitrate changes, occasional errors/warnings, stopped -> next session."""

    weight = 3  # share in mixed runs (several classes named): 3 : 1 : 1
    wait_time = between(1, 3)
    tasks = _session_tasks(heartbeat_weight=12)


class HighVolumeEventSinkUser(PlayerSession, FastHttpUser):
    """The same sessions plus rapid heartbeats every 0.1-0.5 s: stress for the queue path."""

    weight = 1
    wait_time = between(0.1, 0.5)
    tasks = _session_tasks(heartbeat_weight=80)


# --------------------------------------------------------------------------------------------
# Invalid traffic: every request must be answered 400 (405 for a wrong method on /).
# --------------------------------------------------------------------------------------------


def _valid_heartbeat():
    return {
        "event": "heartbeat",
        "sessionId": "invalid-" + uuid.uuid4().hex[:12],
        "timestamp": now_ms(),
        "playhead": 12_000,
        "duration": 600_000,
    }


def _without(key):
    def build():
        event = _valid_heartbeat()
        del event[key]
        return event

    return build


def _with(**changes):
    def build():
        event = _valid_heartbeat()
        event.update(changes)
        return event

    return build


# (label, builder) - builder returns a str/bytes body (sent verbatim) or a dict (JSON-encoded)
MALFORMED_JSON = [
    ("truncated", lambda: '{"event":"heartbeat","sessionId":"abc","timestamp":1'),
    ("not json", lambda: "this is not json"),
    ("empty body", lambda: ""),
    ("unquoted key", lambda: '{"event":"init","sessionId":"x",timestamp:-1,"playhead":-1,"duration":-1}'),
    ("trailing garbage", lambda: _dumps(_valid_heartbeat()) + "}"),
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
            body = _dumps(body)
        else:
            sent_sid = None
        raw = body if isinstance(body, str) else body.decode("utf-8", "replace")
        headers = BEACON_HEADERS if random.random() < BEACON_SHARE else JSON_HEADERS

        def check(resp):
            problem = _status_problem(resp, 400)
            if problem:
                return "%s (%s)" % (problem, label)
            answer = _parse_json(resp)
            if not isinstance(answer, dict):
                return "400 without a JSON object body (%s): %s" % (label, _snippet(resp))
            if answer.get("valid") is not False:
                return "400 answer does not say valid: false (%s): %s" % (label, _snippet(resp))
            if answer.get("message") != INVALID_MESSAGE:
                return "400 answer message %r (%s)" % (answer.get("message"), label)
            # contract: "sessionId": <id or -1>. From a body that is not a JSON object (truncated,
            # garbage after it) a service may still recover the id: accept it when it was sent.
            sid = answer.get("sessionId")
            if sid != -1 and sid != sent_sid:
                if not (sent_sid is None and isinstance(sid, str) and _dumps({"sessionId": sid})[1:-1] in raw):
                    return "400 answer sessionId %r, want -1 or %r (%s)" % (sid, sent_sid, label)
            return None

        with self.client.post(
            "/", data=body, headers=headers, name="/ [invalid: %s]" % group, catch_response=True
        ) as resp:
            _finish(resp, check)

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
            _finish(resp, lambda r: _status_problem(r, 405))

    tasks = {
        malformed_json: 3,
        missing_required_field: 3,
        invalid_event_type: 3,
        schema_violation: 3,
        wrong_method: 1,
    }


# --------------------------------------------------------------------------------------------
# What the users were told was stored: the CI gate compares it with the service's counters.
# --------------------------------------------------------------------------------------------


class Tally:
    """Events (and CMCD reports) this process's users sent, by what their answers said.

    An event counts as "maybe" from the moment its request is sent until an answer says it was
    stored, then it moves to "acknowledged". What is still "maybe" at the end had no such answer (a
    503/429, a connection error, a request cut off when the run stopped): it may or may not be in
    the queue. Invalid events are never counted. With LOADTEST_TALLY_FILE set, a standalone run
    writes the tally there as JSON when it quits (ci-gate.sh checks it against /metrics)."""

    KINDS = ("events", "cmcd_events", "cmcd_reports", "cmcd_skipped")

    def __init__(self):
        self.acknowledged = {kind: collections.Counter() for kind in self.KINDS}
        self.maybe = {kind: collections.Counter() for kind in self.KINDS}

    def sent(self, kind, counts):
        self.maybe[kind].update(counts)

    def stored(self, kind, counts):
        self.maybe[kind].subtract(counts)
        self.acknowledged[kind].update(counts)

    def as_json(self):
        def plain(counter):
            return {key: n for key, n in sorted(counter.items()) if n}

        return {
            kind: {"acknowledged": plain(self.acknowledged[kind]), "maybe": plain(self.maybe[kind])}
            for kind in self.KINDS
        }


TALLY = Tally()
_EPAS_TYPES = frozenset(EVENT_TYPES)


@events.request.add_listener
def _tally_single_events(name=None, response=None, exception=None, **_kwargs):
    """The seed's user classes post one valid event per request, named "/ [<event>]": a 200 that
    passed its checks is one acknowledged event (the new classes tally their own requests)."""
    if not name or not name.startswith("/ [") or name[3:-1] not in _EPAS_TYPES:
        return
    one = {name[3:-1]: 1}
    if exception is None and getattr(response, "status_code", 0) == 200:
        TALLY.acknowledged["events"].update(one)
    else:
        TALLY.maybe["events"].update(one)


# --------------------------------------------------------------------------------------------
# CMCD v2 event mode on /cmcd (CTA-5004-B; docs/cmcd.md)
# --------------------------------------------------------------------------------------------

CMCD_MAX_BATCH = 10  # reports per POST: 1-10, drawn anew after each POST
CMCD_FLUSH_S = 5.0  # a report waits at most this long for its batch to fill (the players' timer)
CMCD_ERROR_CODES = ("SEG_404", "RETRY_EXHAUSTED", "MANIFEST_TIMEOUT", "DRM_LICENSE_503", "DECODE_3016")
CMCD_FATAL_CODES = ("MEDIA_ERR_DECODE", "DRM_KEY_SYSTEM_FAILED", "MANIFEST_404")


class SfToken(str):
    """An RFC 8941 token, written bare: e=ps, sta=p, st=v."""


def _sf_bare(value):
    if isinstance(value, SfToken):
        return str(value)
    if isinstance(value, bool):
        return "?1" if value else "?0"
    if isinstance(value, int):
        return "%d" % value
    if isinstance(value, float):  # a decimal: at most 3 fractional digits, at least one
        text = ("%.3f" % value).rstrip("0")
        return text + "0" if text.endswith(".") else text
    if isinstance(value, str):
        return '"%s"' % value.replace("\\", "\\\\").replace('"', '\\"')
    raise TypeError("no RFC 8941 form for %r" % (value,))


def _sf_member(key, value):
    if value is True:
        return key  # a bare key is true
    if isinstance(value, list):  # an inner list; (value, "v") items carry a boolean parameter
        items = []
        for item in value:
            if isinstance(item, tuple):
                items.append(_sf_bare(item[0]) + "".join(";" + param for param in item[1:]))
            else:
                items.append(_sf_bare(item))
        return "%s=(%s)" % (key, " ".join(items))
    return "%s=%s" % (key, _sf_bare(value))


def cmcd_record(keys, separator=","):
    """One CMCD v2 record (an RFC 8941 dictionary), keys sorted as players SHOULD send them."""
    return separator.join(_sf_member(key, keys[key]) for key in sorted(keys) if keys[key] is not None)


_CMCD_PLAY_STATES = {"a": "paused", "r": "buffering", "k": "seeking", "e": "stopped", "q": "stopped", "f": "stopped"}
_CMCD_EVENTS = {"e": "error", "bc": "bitrate_changed", "t": "heartbeat", "c": "metadata"}


def cmcd_expected(keys):
    """What a report must give by the table in docs/cmcd.md: (EPAS event names, None), or
    ([], the skipped-reports reason). Written from the documentation, not from the service."""
    if keys.get("sid") is None:
        return [], "no_session_id"
    e = keys["e"]
    if e == "ps":
        sta = keys["sta"]
        if sta in ("s", "d"):  # starting or preloading: a session's first report (sn=0) starts it with init
            return (["init"] if keys.get("sn") == 0 else []) + ["loading"], None
        if sta == "p":
            first = (["loaded"] if "msd" in keys else []) + (["buffered"] if "bsd" in keys else [])
            return first + ["playing"], None
        return [_CMCD_PLAY_STATES[sta]], None
    if e in _CMCD_EVENTS:
        return [_CMCD_EVENTS[e]], None
    return [], "unmapped_event"


class CmcdSession:
    """One playback session as a CMCD v2 player reports it: a uuid sid, sn counting up from 0
    (CML) or 1 (Shaka 5.1), ts strictly increasing, pt advancing while playing (VOD: ms into the
    content; live: the epoch ms of the frame shown)."""

    def __init__(self):
        _title, cid, url, _drm, live, duration = random.choice(CONTENT)
        self.sid = str(uuid.uuid4())
        self.cid = cid
        self.live = live
        self.duration = duration
        self.sf = SfToken("h" if url.endswith(".m3u8") else "d")
        self.st = SfToken("l" if live else "v")
        self.sn = 0 if random.random() < 0.7 else 1
        self.ts = now_ms()
        self.shift = 0  # simulated time (startup, stalls, seeks) ahead of the wall clock
        self.pt = 0
        self.live_latency = random.randint(6_000, 30_000)
        self.playing = False
        self.rendition = random.randrange(len(BITRATE_LADDER))
        self.rebuffers = 0
        self.rebuffer_ms = 0
        self.dropped = 0

    def advance(self, simulated_ms=0):
        """Move the clock to now (plus simulated_ms of player time); the playhead moves while playing."""
        self.shift += simulated_ms
        t = max(now_ms() + self.shift, self.ts + 1)
        if self.playing and not self.live:
            self.pt = min(self.pt + (t - self.ts), self.duration)
        self.ts = t

    def at_end(self):
        return not self.live and self.pt >= self.duration

    def playhead(self):
        return self.ts - self.live_latency if self.live else int(self.pt)

    def bitrates(self, rendition=None):
        _total, _w, _h, video, audio = BITRATE_LADDER[self.rendition if rendition is None else rendition]
        return [(video, "v"), (audio, "a")]

    def report(self, e, **keys):
        """A record of this session: what every report carries, then the event's own keys."""
        record = {
            "e": SfToken(e),
            "ts": self.ts,
            "v": 2,
            "sid": self.sid,
            "sn": self.sn,
            "cid": self.cid,
            "pt": self.playhead(),
            "sf": self.sf,
            "st": self.st,
        }
        self.sn += 1
        record.update(keys)
        return record


class CmcdEventUser(HttpUser):
    """A CMCD v2 player in event mode: its reports are batched like CML's reporter (1-10 per POST,
    LF-joined) to /cmcd; each POST must be answered 204."""

    weight = 2  # share in mixed runs
    wait_time = between(0.5, 2)

    def on_start(self):
        self.pending_reports = []
        self.reports_since = 0.0
        self.batch_target = random.randint(1, CMCD_MAX_BATCH)
        self.cors_preflight()
        self.start_session()

    # -- batching and the POST ------------------------------------------------------------------

    def queue(self, *records):
        """Keep reports until the batch is full (or the oldest has waited CMCD_FLUSH_S), then POST."""
        if len(self.pending_reports) + len(records) > CMCD_MAX_BATCH:
            self.flush()
        if not self.pending_reports:
            self.reports_since = time.time()
        self.pending_reports.extend(records)
        if len(self.pending_reports) >= self.batch_target or time.time() - self.reports_since > CMCD_FLUSH_S:
            self.flush()

    def flush(self):
        if self.pending_reports:
            records, self.pending_reports = self.pending_reports, []
            self.batch_target = random.randint(1, CMCD_MAX_BATCH)
            self.post_reports(records)

    def post_reports(self, records):
        separator = ", " if random.random() < 0.1 else ","  # optional whitespace, as in the spec's examples
        lines = [cmcd_record(keys, separator) for keys in records]
        roll = random.random()
        if roll < 0.5:
            body = "\n".join(lines) + "\n"  # CML and Shaka main: always a final LF
        elif roll < 0.8:
            body = "\n".join(lines)  # dash.js and CTA-5004-B section 3.3: no final LF
        else:
            body = "\r\n".join(lines) + random.choice(("", "\r\n"))
        content_type = random.choices(("application/cmcd", "text/cmcd", "application/cmcd+text"), (85, 12, 3))[0]

        produced = collections.Counter()
        skipped = collections.Counter()
        for keys in records:
            names, skip = cmcd_expected(keys)
            produced.update(names)
            if skip:
                skipped[skip] += 1
        sent = (
            ("events", produced),
            ("cmcd_events", produced),
            ("cmcd_reports", {"reports": len(records)}),
            ("cmcd_skipped", skipped),
        )
        for kind, counts in sent:
            TALLY.sent(kind, counts)
        count = len(records)
        name = "/cmcd [1 report]" if count == 1 else "/cmcd [%s reports]" % ("2-5" if count <= 5 else "6-10")

        def check(resp):
            problem = _status_problem(resp, 204)
            if problem:
                return problem
            if resp.content:
                return "204 with a body: %s" % _snippet(resp)
            return None

        with self.client.post(
            "/cmcd", data=body.encode("utf-8"), headers={"Content-Type": content_type}, name=name, catch_response=True
        ) as resp:
            if _finish(resp, check):
                for kind, counts in sent:
                    TALLY.stored(kind, counts)

    def cors_preflight(self):
        """application/cmcd is not CORS-safelisted: browsers preflight /cmcd once (Max-Age)."""

        def check(resp):
            status = getattr(resp, "status_code", 0) or 0
            if status not in (200, 204):
                return _status_problem(resp, 200)
            allow_origin = _header(resp, "Access-Control-Allow-Origin")
            if allow_origin not in ("*", ORIGIN):
                return "Access-Control-Allow-Origin is %r (want * or %s)" % (allow_origin, ORIGIN)
            methods = [m.strip().upper() for m in (_header(resp, "Access-Control-Allow-Methods") or "").split(",")]
            if "POST" not in methods:
                return "Access-Control-Allow-Methods lacks POST: %r" % (methods,)
            allowed = [h.strip().lower() for h in (_header(resp, "Access-Control-Allow-Headers") or "").split(",")]
            if "content-type" not in allowed:
                return "Access-Control-Allow-Headers lacks Content-Type: %r" % (allowed,)
            return None

        headers = {
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        }
        with self.client.request(
            "OPTIONS", "/cmcd", headers=headers, name="/cmcd [cors preflight]", catch_response=True
        ) as resp:
            _finish(resp, check)

    # -- the session ------------------------------------------------------------------------------

    def start_session(self):
        """(preloading), starting, then playing with the startup delay msd (sent once); sometimes
        the content id as an e=c report."""
        s = self.player = CmcdSession()
        records = []
        if random.random() < 0.2:
            s.advance()
            records.append(s.report("ps", sta=SfToken("d")))
        s.advance()
        records.append(s.report("ps", sta=SfToken("s")))
        startup = random.randint(300, 2_500)
        s.advance(startup)
        s.playing = True
        records.append(s.report("ps", sta=SfToken("p"), msd=startup, br=s.bitrates()))
        if random.random() < 0.3:
            s.advance()
            records.append(s.report("c"))
        self.queue(*records)

    @task(10)
    def heartbeat(self):
        """e=t with what a time-interval report carries (CTA-5004-B 8.2.6); a VOD that reached its
        end reports sta=e instead."""
        s = self.player
        s.advance()
        if s.at_end():
            self.end_session("e")
            return
        s.dropped += random.choice((0, 0, 0, 1, 2))
        buffer_ms = random.randint(40, 300) * 100
        self.queue(
            s.report(
                "t",
                bl=[(buffer_ms, "v"), (buffer_ms, "a")],
                br=s.bitrates(),
                dfa=s.dropped,
                mtp=[random.randint(20, 400) * 100],
                pb=s.bitrates(),
                sta=SfToken("p" if s.playing else "a"),
            )
        )

    @task(3)
    def bitrate_change(self):
        """e=bc: br is the newly selected bitrate, pb the one still on screen."""
        s = self.player
        s.advance()
        shown = s.rendition
        s.rendition = max(0, min(len(BITRATE_LADDER) - 1, s.rendition + random.choice((-1, 1))))
        self.queue(s.report("bc", br=s.bitrates(), pb=s.bitrates(shown), mtp=[random.randint(20, 400) * 100]))

    @task(2)
    def rebuffer(self):
        """sta=r, then sta=p with the stall's length in bsd (sent once, when it ended)."""
        s = self.player
        if not s.playing:
            self.pause_or_resume()
            return
        s.advance()
        s.playing = False
        stalled = s.report("ps", sta=SfToken("r"), bl=[(0, "v"), (random.randint(0, 20) * 100, "a")])
        stall = random.randint(200, 4_000)
        s.advance(stall)
        s.playing = True
        s.rebuffers += 1
        s.rebuffer_ms += stall
        resumed = s.report(
            "ps", sta=SfToken("p"), bs=True, bsa=[s.rebuffers], bsd=[stall], bsda=[s.rebuffer_ms]
        )
        self.queue(stalled, resumed)

    @task(2)
    def pause_or_resume(self):
        s = self.player
        s.advance()
        s.playing = not s.playing
        self.queue(s.report("ps", sta=SfToken("p" if s.playing else "a")))

    @task(2)
    def seek(self):
        """sta=k, then back to p (or a when it was paused) at the new playhead."""
        s = self.player
        s.advance()
        was_playing = s.playing
        s.playing = False
        seeking = s.report("ps", sta=SfToken("k"))
        s.advance(random.randint(100, 1_500))
        if s.live:
            s.live_latency = random.randint(6_000, 2 * 3600 * 1000)  # within the DVR window
        else:
            s.pt = random.randint(0, max(s.duration - 10_000, 0))
        s.playing = was_playing
        self.queue(seeking, s.report("ps", sta=SfToken("p" if was_playing else "a")))

    @task(1)
    def player_error(self):
        """A recoverable error: e=e with its codes (an inner list of strings)."""
        s = self.player
        s.advance()
        self.queue(s.report("e", ec=random.sample(CMCD_ERROR_CODES, random.randint(1, 2))))

    @task(1)
    def content_change(self):
        """e=c with the new cid: an ad starts or ends, or the next episode plays."""
        s = self.player
        s.advance()
        if s.cid.startswith("ad-"):
            s.cid = random.choice(CONTENT)[1]
        else:
            s.cid = "ad-%04d" % random.randint(1, 9_999)
        self.queue(s.report("c"))

    @task(1)
    def player_ui_event(self):
        """Events with no EPAS counterpart (mute, unmute, playback rate, background): skipped by
        the service, and the POST is still a 204."""
        s = self.player
        s.advance()
        choices = [
            ("m", {}),
            ("um", {}),
            ("b", {"bg": True}),
            ("b", {"bg": False}),  # CML sends bg=?0 when the player comes back
        ]
        if s.playing:  # e=pr fires only while playing
            choices.append(("pr", {"pr": random.choice((0.5, 1.25, 1.5, 2.0))}))
        e, keys = random.choice(choices)
        self.queue(s.report(e, **keys))

    @task(1)
    def report_without_sid(self):
        """A report without sid (the spec's minimal heartbeat: sid is not mandatory): skipped by
        the service (EPAS needs a session id), and the POST is still a 204."""
        s = self.player
        s.advance()
        record = {"e": SfToken("t"), "ts": s.ts, "v": 2}
        if random.random() < 0.5:
            record.update(pt=s.playhead(), br=s.bitrates())
        self.queue(record)

    @task(1)
    def end_session(self, reason=None):
        """sta=e (ended), q (quit) or f (fatal, after an e=e); the player sends what it holds and
        the next session starts with a new sid."""
        s = self.player
        s.advance()
        if reason is None:
            reason = random.choices(("e", "q", "f"), (0 if s.live else 4, 4, 2))[0]
        records = []
        if reason == "e" and not s.live:
            s.pt = s.duration  # watched to the end (the load test compresses time)
        if reason == "f":
            records.append(s.report("e", ec=random.sample(CMCD_FATAL_CODES, random.randint(1, 2))))
            s.advance()
        s.playing = False
        records.append(s.report("ps", sta=SfToken(reason)))
        self.queue(*records)
        self.flush()
        self.start_session()


# --------------------------------------------------------------------------------------------
# Batches on / : JSON arrays and NDJSON, some compressed
# --------------------------------------------------------------------------------------------


class _CollectedSession(PlayerSession):
    """EventSinkUser's player session, its events collected for a batch instead of POSTed."""

    def __init__(self, sink):
        self._sink = sink
        self.on_start()  # the session's first events: init, metadata, loading, loaded, playing

    def post_event(self, event):
        self._sink.append(event)


_BATCH_ACTIONS = (
    (PlayerSession.heartbeat_or_end, 12),
    (PlayerSession.toggle_pause, 3),
    (PlayerSession.rebuffer, 2),
    (PlayerSession.seek_playhead, 2),
    (PlayerSession.switch_bitrate, 3),
    (PlayerSession.report_warning, 1),
    (PlayerSession.report_error, 1),
    (PlayerSession.end_session, 1),
)
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
        entries = [(_dumps(event), event, event["sessionId"]) for event in valid]
        if random.random() < BATCH_INVALID_SHARE:
            if ndjson and random.random() < 0.3:
                bad = random.choice(BATCH_MALFORMED_LINES)
                entry = (bad, None, None)
            else:
                bad = random.choice(BATCH_INVALID_EVENTS)()
                sid = bad.get("sessionId")
                entry = (_dumps(bad), None, sid if isinstance(sid, str) else None)
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
            answer = _parse_json(resp)
            tally_stored(answer)
            if getattr(resp, "status_code", 0) == 503 and isinstance(answer, dict):
                # the same message for every such answer, so that Locust's error report groups them
                reasons = sorted(
                    {str(r.get("reason")) for r in answer.get("results") or () if isinstance(r, dict) and "reason" in r}
                )
                return "expected HTTP 200, got 503 Retry-After=%s: events not stored (%s)" % (
                    _header(resp, "Retry-After"),
                    ", ".join(reasons) or "no reason given",
                )
            problem = _status_problem(resp, 200)
            if problem:
                return problem
            if not isinstance(answer, dict):
                return "200 without a JSON object body: %s" % _snippet(resp)
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
                return "results: want a list of %d, got %s" % (len(entries), _snippet(resp))
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
                    if got != -1 and got != sid and not (isinstance(got, str) and _dumps(got) in line):
                        return "results[%d] sessionId %r, want -1 or %r" % (i, got, sid)
            return None

        with self.client.post(
            "/", data=data, headers=headers, name="/ [batch %s]" % shape, catch_response=True
        ) as resp:
            _finish(resp, check)


# Like PlayerSession, these classes must not shadow a User attribute by accident.
_USER_OVERRIDES = {"on_start", "on_stop", "tasks", "weight", "wait_time", "fixed_count", "abstract"}
for _cls in (CmcdEventUser, BatchEventSinkUser):
    _shadowing = sorted(
        n
        for n in vars(_cls)
        if not n.startswith("__") and n not in _USER_OVERRIDES and (hasattr(HttpUser, n) or hasattr(FastHttpUser, n))
    )
    assert not _shadowing, "%s shadows User attributes: %s" % (_cls.__name__, _shadowing)
del _cls, _shadowing  # a module-level name bound to a User class would be listed as one more class


# --------------------------------------------------------------------------------------------
# Class weights from the environment (the chart's locust.userClassWeights)
# --------------------------------------------------------------------------------------------


def apply_user_weights(spec, user_classes):
    """LOADTEST_USER_WEIGHTS="EventSinkUser=3,CmcdEventUser=2": each named class's share when
    several classes run (an integer >= 1); classes not named keep their weight."""
    classes = {cls.__name__: cls for cls in user_classes}
    applied = {}
    for part in (spec or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, value = part.partition("=")
        name = name.strip()
        cls = classes.get(name)
        if not sep or cls is None:
            raise ValueError(
                "LOADTEST_USER_WEIGHTS: %r is not <user class>=<weight> with one of %s" % (part, ", ".join(classes))
            )
        try:
            weight = int(value.strip())
        except ValueError:
            weight = 0
        if weight < 1:
            raise ValueError("LOADTEST_USER_WEIGHTS: the weight of %s must be an integer >= 1, got %r" % (name, value))
        cls.weight = weight
        applied[name] = weight
    return applied


USER_CLASSES = (EventSinkUser, HighVolumeEventSinkUser, InvalidEventUser, CmcdEventUser, BatchEventSinkUser)
USER_WEIGHTS = apply_user_weights(os.environ.get("LOADTEST_USER_WEIGHTS"), USER_CLASSES)


# --------------------------------------------------------------------------------------------
# Default user class, pass/fail gate
# --------------------------------------------------------------------------------------------


def _optional_number(value):
    if value is None or str(value).strip() == "":
        return None
    return float(value)


GATE_OPTIONS = (
    (
        "--max-failure-ratio",
        "LOADTEST_MAX_FAILURE_RATIO",
        "Gate: exit non-zero when failures/requests is above this (0..1; 0 = no failure allowed). "
        "Env LOADTEST_MAX_FAILURE_RATIO. Default: not checked.",
    ),
    (
        "--max-p95-ms",
        "LOADTEST_MAX_P95_MS",
        "Gate: exit non-zero when the 95th percentile response time of all requests is above this "
        "many milliseconds. Env LOADTEST_MAX_P95_MS. Default: not checked.",
    ),
    (
        "--min-requests",
        "LOADTEST_MIN_REQUESTS",
        "Gate: with a threshold set, exit non-zero when fewer requests than this were made "
        "(default 1). Env LOADTEST_MIN_REQUESTS.",
    ),
)


@events.init_command_line_parser.add_listener
def _add_gate_options(parser, **_kwargs):
    for flag, env_var, help_text in GATE_OPTIONS:
        kwargs = dict(type=_optional_number, default=None, env_var=env_var, help=help_text)
        try:
            # keep them out of the web UI form (it would send strings); the gate runs at quit
            parser.add_argument(flag, include_in_web_ui=False, **kwargs)
        except TypeError:  # a parser without Locust's include_in_web_ui extension
            parser.add_argument(flag, **kwargs)


@events.init.add_listener
def _default_user_class(environment, **_kwargs):
    """With no user class named on the command line, run EventSinkUser only."""
    options = environment.parsed_options
    if options is None or isinstance(environment.runner, WorkerRunner):
        return  # used as a library, or a worker: the master decides which classes run
    if getattr(options, "user_classes", None) or getattr(options, "class_picker", False):
        return
    if getattr(options, "config_users", None):
        return
    if len(environment.user_classes) > 1 and EventSinkUser in environment.user_classes:
        environment.user_classes[:] = [EventSinkUser]
        log.info("No user class named: running EventSinkUser (name classes to run others)")


def gate_breaches(stats, max_failure_ratio=None, max_p95_ms=None, min_requests=None):
    """Return the list of threshold breaches for the aggregated stats (empty list = pass)."""
    total = stats.total
    breaches = []
    if max_failure_ratio is None and max_p95_ms is None and min_requests is None:
        return breaches
    needed = 1 if min_requests is None else int(min_requests)
    if total.num_requests < needed:
        breaches.append("only %d requests were made (minimum %d)" % (total.num_requests, needed))
    if max_failure_ratio is not None and total.num_requests:
        ratio = total.fail_ratio
        if ratio > max_failure_ratio:
            breaches.append(
                "failure ratio %.4f (%d of %d) > %g"
                % (ratio, total.num_failures, total.num_requests, max_failure_ratio)
            )
    if max_p95_ms is not None and total.num_requests:
        p95 = total.get_response_time_percentile(0.95)
        if p95 > max_p95_ms:
            breaches.append("p95 response time %.0f ms > %g ms" % (p95, max_p95_ms))
    return breaches


@events.quitting.add_listener
def _gate(environment, **_kwargs):
    options = environment.parsed_options
    if options is None or isinstance(environment.runner, WorkerRunner):
        return  # workers report to the master; the master gates on the aggregate
    max_failure_ratio = getattr(options, "max_failure_ratio", None)
    max_p95_ms = getattr(options, "max_p95_ms", None)
    min_requests = getattr(options, "min_requests", None)
    if max_failure_ratio is None and max_p95_ms is None and min_requests is None:
        return
    total = environment.stats.total
    has = total.num_requests > 0
    summary = "requests=%d failures=%d ratio=%.4f rps=%.1f p50=%.0fms p95=%.0fms p99=%.0fms max=%.0fms" % (
        total.num_requests,
        total.num_failures,
        total.fail_ratio,
        total.total_rps,
        total.get_response_time_percentile(0.5) if has else 0,
        total.get_response_time_percentile(0.95) if has else 0,
        total.get_response_time_percentile(0.99) if has else 0,
        total.max_response_time if has else 0,
    )
    breaches = gate_breaches(environment.stats, max_failure_ratio, max_p95_ms, min_requests)
    if breaches:
        log.error("GATE FAILED: %s | %s", "; ".join(breaches), summary)
        environment.process_exit_code = 1
    else:
        log.info(
            "GATE PASSED (max failure ratio %s, max p95 %s ms): %s",
            max_failure_ratio,
            max_p95_ms,
            summary,
        )


@events.quitting.add_listener
def _finish_csv_files(environment, **_kwargs):
    """Locust 2.12 rewrites the --csv files once a second, flushes them every 10 s and neither
    writes nor flushes them at exit, so they miss the end of the run. Give its writer one more
    turn with the final numbers, then flush its files (harmless on newer 2.x, which does this)."""
    options = environment.parsed_options
    if options is None or isinstance(environment.runner, WorkerRunner) or not getattr(options, "csv_prefix", None):
        return
    import gc

    import gevent
    from locust.stats import StatsCSVFileWriter

    gevent.sleep(1.2)
    for writer in [o for o in gc.get_objects() if isinstance(o, StatsCSVFileWriter)]:
        for flush in ("requests_flush", "stats_history_flush", "failures_flush", "exceptions_flush"):
            try:
                getattr(writer, flush)()
            except Exception:  # noqa: BLE001 - already closed, or another Locust version
                pass


@events.quitting.add_listener
def _write_tally(environment, **_kwargs):
    """LOADTEST_TALLY_FILE: write what the users were told was stored (see Tally), for ci-gate.sh.
    Standalone runs only: in a distributed run each worker holds only its own part."""
    path = os.environ.get("LOADTEST_TALLY_FILE")
    if not path or not isinstance(environment.runner, LocalRunner):
        return
    tally = TALLY.as_json()
    options = environment.parsed_options
    # each user has at most one request in flight when the run stops
    tally["users"] = getattr(options, "num_users", None) or 0
    tally["user_classes"] = sorted(cls.__name__ for cls in environment.user_classes)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        json.dump(tally, out, indent=1, sort_keys=True)
    os.replace(tmp, path)
