"""ci-gate.sh, after the runs: what the runs were told was stored (their LOADTEST_TALLY_FILEs) against
what the service counted (/metrics). Every acknowledged event accepted, under its type; no more accepted
than was sent (events still without an answer, at most one in-flight request per user when a run
stopped); CMCD reports received, mapped (per EPAS event) and skipped (per reason) as docs/cmcd.md says.

usage: tally_check.py METRICS_FILE TALLY_FILE...
"""

import collections
import json
import re
import sys

metrics_file = sys.argv[1]
tally_files = [path for path in sys.argv[2:] if not path.endswith("*.tally.json")]  # an unmatched glob
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
metrics = collections.defaultdict(collections.Counter)  # name -> {value of its event/reason label: n}
for line in open(metrics_file, encoding="utf-8"):
    m = SAMPLE.match(line)
    if m and not line.startswith("#"):
        labels = dict(LABEL.findall(m.group(2) or ""))
        metrics[m.group(1)][labels.get("event") or labels.get("reason") or ""] += float(m.group(3))

ack = collections.defaultdict(collections.Counter)
maybe = collections.defaultdict(collections.Counter)
users = 0
if not tally_files:
    print("    no tally files (LOADTEST_TALLY_FILE) were written")
    sys.exit(1)
for path in tally_files:
    tally = json.load(open(path, encoding="utf-8"))
    users += tally.get("users") or 0
    for kind in ("events", "cmcd_events", "cmcd_reports", "cmcd_skipped"):
        ack[kind].update(tally[kind]["acknowledged"])
        maybe[kind].update(tally[kind]["maybe"])

problems = []


def between(what, low, got, high):
    if not low <= got <= high:
        problems.append("%s: the service counted %d, the runs %d acknowledged%s"
                        % (what, got, low, "" if low == high else " (+%d maybe)" % (high - low)))


accepted = metrics["eventsink_events_accepted_total"]
for event in sorted(set(accepted) | set(ack["events"])):
    if accepted[event] < ack["events"][event]:
        problems.append("accepted{event=%s} is %d, but %d were acknowledged"
                        % (event, accepted[event], ack["events"][event]))
total_ack = sum(ack["events"].values())
total_maybe = sum(maybe["events"].values())
between("accepted events (all runs)", total_ack, sum(accepted.values()), total_ack + total_maybe + users)

produced = metrics["eventsink_cmcd_events_produced_total"]
for event in sorted(set(produced) | set(ack["cmcd_events"])):
    low = ack["cmcd_events"][event]
    between("CMCD events produced{event=%s}" % event, low, produced[event], low + maybe["cmcd_events"][event])
low = ack["cmcd_reports"]["reports"]
between("CMCD reports received", low, sum(metrics["eventsink_cmcd_reports_received_total"].values()),
        low + maybe["cmcd_reports"]["reports"])
skipped = metrics["eventsink_cmcd_reports_skipped_total"]
for reason in sorted(set(skipped) | set(ack["cmcd_skipped"])):
    low = ack["cmcd_skipped"][reason]
    between("CMCD reports skipped{reason=%s}" % reason, low, skipped[reason], low + maybe["cmcd_skipped"][reason])

cmcd_ack = sum(ack["cmcd_events"].values())
print("    tally: %d events acknowledged (%d of them mapped from %d CMCD reports, %d reports skipped as "
      "documented), %d without an answer; the service accepted %d"
      % (total_ack, cmcd_ack, ack["cmcd_reports"]["reports"], sum(ack["cmcd_skipped"].values()), total_maybe,
         sum(accepted.values())))
print("    CMCD events by type: %s" % ", ".join("%s=%d" % kv for kv in sorted(ack["cmcd_events"].items())))
for problem in problems:
    print("    " + problem)
sys.exit(1 if problems else 0)
