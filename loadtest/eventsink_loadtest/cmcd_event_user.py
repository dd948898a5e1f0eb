"""CmcdEventUser: CMCD v2 players in event mode, their reports batched to POST /cmcd."""

import collections
import random
import time

from locust import HttpUser, between, task

from eventsink_loadtest.cmcd import CmcdSession, SfToken, cmcd_expected, cmcd_record
from eventsink_loadtest.contract import ORIGIN, finish, header, snippet, status_problem
from eventsink_loadtest.epas import BITRATE_LADDER, CONTENT
from eventsink_loadtest.shadowing import assert_no_shadowing
from eventsink_loadtest.tally import TALLY

CMCD_MAX_BATCH = 10  # reports per POST: 1-10, drawn anew after each POST
CMCD_FLUSH_S = 5.0  # a report waits at most this long for its batch to fill (the players' timer)
CMCD_ERROR_CODES = ("SEG_404", "RETRY_EXHAUSTED", "MANIFEST_TIMEOUT", "DRM_LICENSE_503", "DECODE_3016")
CMCD_FATAL_CODES = ("MEDIA_ERR_DECODE", "DRM_KEY_SYSTEM_FAILED", "MANIFEST_404")


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
            problem = status_problem(resp, 204)
            if problem:
                return problem
            if resp.content:
                return "204 with a body: %s" % snippet(resp)
            return None

        with self.client.post(
            "/cmcd", data=body.encode("utf-8"), headers={"Content-Type": content_type}, name=name, catch_response=True
        ) as resp:
            if finish(resp, check):
                for kind, counts in sent:
                    TALLY.stored(kind, counts)

    def cors_preflight(self):
        """application/cmcd is not CORS-safelisted: browsers preflight /cmcd once (Max-Age)."""

        def check(resp):
            status = getattr(resp, "status_code", 0) or 0
            if status not in (200, 204):
                return status_problem(resp, 200)
            allow_origin = header(resp, "Access-Control-Allow-Origin")
            if allow_origin not in ("*", ORIGIN):
                return "Access-Control-Allow-Origin is %r (want * or %s)" % (allow_origin, ORIGIN)
            methods = [m.strip().upper() for m in (header(resp, "Access-Control-Allow-Methods") or "").split(",")]
            if "POST" not in methods:
                return "Access-Control-Allow-Methods lacks POST: %r" % (methods,)
            allowed = [h.strip().lower() for h in (header(resp, "Access-Control-Allow-Headers") or "").split(",")]
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
            finish(resp, check)

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


assert_no_shadowing(CmcdEventUser)
