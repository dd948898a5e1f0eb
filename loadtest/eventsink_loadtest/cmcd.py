"""CMCD v2 (CTA-5004-B) for CmcdEventUser: records written as RFC 8941 dictionaries, what the
service must make of a report (docs/cmcd.md), and a player's session as its reports show it."""

import random
import uuid

from eventsink_loadtest.epas import BITRATE_LADDER, CONTENT, now_ms


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
