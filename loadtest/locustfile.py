"""Locust load tests for the EventSink API (EPAS 0.5.0 player events, HTTP in -> SQS out).

The entry point: run it with `locust -f locustfile.py` (Locust 2.12 and current 2.x). The user
classes and their helpers live in the eventsink_loadtest package next to this file, one module per
class; this file imports the classes (Locust offers the User classes it finds here) and installs the
run hooks.

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

# Only the five user classes may be bound to names here: Locust runs every User class it finds.
from eventsink_loadtest import hooks
from eventsink_loadtest.batch_event_sink_user import BatchEventSinkUser
from eventsink_loadtest.cmcd_event_user import CmcdEventUser
from eventsink_loadtest.event_sink_user import EventSinkUser
from eventsink_loadtest.high_volume_event_sink_user import HighVolumeEventSinkUser
from eventsink_loadtest.invalid_event_user import InvalidEventUser

USER_CLASSES = (EventSinkUser, HighVolumeEventSinkUser, InvalidEventUser, CmcdEventUser, BatchEventSinkUser)
USER_WEIGHTS = hooks.install(USER_CLASSES, default_class=EventSinkUser)
