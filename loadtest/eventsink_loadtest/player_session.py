"""The player session EventSinkUser and HighVolumeEventSinkUser simulate (and BatchEventSinkUser
collects into batches): an EPAS-instrumented video player, one viewing session after another."""

import random
import time
import uuid

from eventsink_loadtest.contract import (
    BEACON_HEADERS,
    BEACON_SHARE,
    JSON_HEADERS,
    NO_CONTENT_TYPE_HEADERS,
    ORIGIN,
    finish,
    header,
    is_number,
    parse_json,
    snippet,
    status_problem,
)
from eventsink_loadtest.epas import BITRATE_LADDER, CONTENT, DEVICES, ERRORS, STOP_REASONS, WARNINGS, dumps, now_ms
from eventsink_loadtest.shadowing import assert_no_shadowing

INVALID_PATHS = ["/nonexistent", "/api/events", "/v1/events", "/events/", "/favicon.ico"]


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
            problem = status_problem(resp, 200)
            if problem:
                return problem
            body = parse_json(resp)
            if not isinstance(body, dict):
                return "200 without a JSON object body: %s" % snippet(resp)
            if body.get("sessionId") != sid:
                return "sessionId %r in the answer, sent %r" % (body.get("sessionId"), sid)
            if name == "init":
                interval = body.get("heartbeatInterval")
                if not is_number(interval) or interval <= 0:
                    return "init answer without a positive numeric heartbeatInterval: %s" % snippet(resp)
                self.heartbeat_interval = interval
            elif body.get("valid") is not True:
                return "answer does not say valid: true: %s" % snippet(resp)
            return None

        with self.client.post(
            "/", data=dumps(event), headers=headers, name="/ [%s]" % name, catch_response=True
        ) as resp:
            finish(resp, check)

    def cors_preflight(self):
        """OPTIONS / as a browser preflight: 200 and the CORS headers of the contract."""

        def check(resp):
            problem = status_problem(resp, 200)
            if problem:
                return problem
            allow_origin = header(resp, "Access-Control-Allow-Origin")
            if allow_origin not in ("*", ORIGIN):
                return "Access-Control-Allow-Origin is %r (want * or %s)" % (allow_origin, ORIGIN)
            methods = [m.strip().upper() for m in (header(resp, "Access-Control-Allow-Methods") or "").split(",")]
            if "POST" not in methods or "OPTIONS" not in methods:
                return "Access-Control-Allow-Methods lacks POST/OPTIONS: %r" % (methods,)
            allowed = [h.strip().lower() for h in (header(resp, "Access-Control-Allow-Headers") or "").split(",")]
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
            finish(resp, check)

    def invalid_endpoint(self):
        """A request to a path that does not exist must be answered 404."""
        path = random.choice(INVALID_PATHS)
        if random.random() < 0.5:
            ctx = self.client.get(path, name="[invalid endpoint -> 404]", catch_response=True)
        else:
            ctx = self.client.post(
                path,
                data=dumps(self.make_event("heartbeat")),
                headers=JSON_HEADERS,
                name="[invalid endpoint -> 404]",
                catch_response=True,
            )
        with ctx as resp:
            finish(resp, lambda r: status_problem(r, 404))

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


assert_no_shadowing(PlayerSession)


def player_actions(heartbeat_weight):
    """What a player does, by weight: the tasks of a session, and the steps of a collected one."""
    return {
        PlayerSession.heartbeat_or_end: heartbeat_weight,
        PlayerSession.toggle_pause: 3,
        PlayerSession.rebuffer: 2,
        PlayerSession.seek_playhead: 2,
        PlayerSession.switch_bitrate: 3,
        PlayerSession.report_warning: 1,
        PlayerSession.report_error: 1,
        PlayerSession.end_session: 1,
    }


def session_tasks(heartbeat_weight):
    """A session user's tasks: the player's actions plus a CORS preflight and a wrong path."""
    tasks = player_actions(heartbeat_weight)
    tasks[PlayerSession.cors_preflight] = 1
    tasks[PlayerSession.invalid_endpoint] = 1
    return tasks
