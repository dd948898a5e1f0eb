"""What the users were told was stored: ci-gate.sh compares it with the service's counters.

hooks.install() registers count_single_event (events.request) and write_tally_file (events.quitting)."""

import collections
import json
import os

from locust.runners import LocalRunner

from eventsink_loadtest.epas import EVENT_TYPES


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


def count_single_event(name=None, response=None, exception=None, **_kwargs):
    """EventSinkUser and HighVolumeEventSinkUser post one valid event per request, named "/ [<event>]":
    a 200 that passed its checks is one acknowledged event (the other classes tally their own requests)."""
    if not name or not name.startswith("/ [") or name[3:-1] not in _EPAS_TYPES:
        return
    one = {name[3:-1]: 1}
    if exception is None and getattr(response, "status_code", 0) == 200:
        TALLY.acknowledged["events"].update(one)
    else:
        TALLY.maybe["events"].update(one)


def write_tally_file(environment, **_kwargs):
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
