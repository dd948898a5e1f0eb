"""ci-gate.sh, after the runs: the embedded queue holds exactly the events the service delivered, in the
format it was started with (SQS_MESSAGE_FORMAT), each as the queue contract says.

  event   one event per message; body = the event JSON; attributes Event (= its event) and Time (= its
          timestamp), and Source "cmcd" only on an event mapped from CMCD (duration -1)
  packed  Format "epas-ndjson", EventCount (Number) = lines of the body; the body is NDJSON, one envelope
          per line, each ending in LF: {"receivedAt":<ms>,"origin":..?,"source":"cmcd"?,"epas":<event>};
          with SQS_PACK_COMPRESSION=gzip also ContentEncoding "gzip" and the body is base64 of the gzip
          stream of that NDJSON

Nothing consumes the dev queue, so it is read to the end (each message stays invisible for the read)
and every message is checked; the events it holds must add up to eventsink_events_delivered_total.

usage: queue_check.py QUEUE_URL DELIVERED [event|packed] [none|gzip]
"""

import base64
import binascii
import gzip
import http.client
import json
import sys
import urllib.parse
import xml.etree.ElementTree as ET

PACKED_FORMAT = "epas-ndjson"
ENVELOPE_KEYS = frozenset({"receivedAt", "origin", "source", "epas"})
MAX_PROBLEMS_SHOWN = 20


class Message:
    """One SQS message as received: its id, body and String/Number attributes (name -> value)."""

    def __init__(self, message_id, body, attributes):
        self.message_id = message_id
        self.body = body
        self.attributes = attributes


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _event_problems(event, source):
    """What is wrong with one event of either format (empty list: nothing)."""
    if not isinstance(event, dict):
        return ["the event is not a JSON object"]
    problems = []
    if not isinstance(event.get("event"), str) or not event["event"]:
        problems.append("no event name")
    if not _is_number(event.get("timestamp")):
        problems.append("timestamp %r is not a number" % (event.get("timestamp"),))
    # an event mapped from a CMCD report says so, and has no content duration (docs/cmcd.md)
    if source is not None and (source != "cmcd" or event.get("duration") != -1):
        problems.append("source %r with duration %r" % (source, event.get("duration")))
    return problems


def _single_event(message):
    """An event-format message: (events, problems)."""
    try:
        event = json.loads(message.body)
    except ValueError as e:
        return 0, ["the body is not JSON (%s)" % e]
    problems = _event_problems(event, message.attributes.get("Source"))
    if isinstance(event, dict) and _is_number(event.get("timestamp")):
        ts = event["timestamp"]
        want_time = str(int(ts)) if float(ts).is_integer() else str(ts)
        if message.attributes.get("Event") != event.get("event") or message.attributes.get("Time") != want_time:
            problems.append("attributes %r for event %r timestamp %r" % (message.attributes, event.get("event"), ts))
    return 1, problems


def packed_lines(message):
    """The NDJSON lines of a packed message, undone from base64 and gzip when ContentEncoding says so.
    Raises ValueError when the body cannot be read."""
    encoding = message.attributes.get("ContentEncoding")
    if encoding == "gzip":
        try:
            text = gzip.decompress(base64.b64decode(message.body, validate=True)).decode("utf-8")
        except (binascii.Error, OSError, EOFError, UnicodeDecodeError) as e:
            raise ValueError("ContentEncoding gzip, but the body is not base64 of a gzip stream (%s)" % e)
    elif encoding is None:
        text = message.body
    else:
        raise ValueError("ContentEncoding %r (want gzip or none)" % (encoding,))
    if not text.endswith("\n"):
        raise ValueError("the last line does not end in LF")
    return text[:-1].split("\n")


def _packed_events(message):
    """A packed message: (events, problems)."""
    try:
        lines = packed_lines(message)
    except ValueError as e:
        return 0, [str(e)]
    problems = []
    count = message.attributes.get("EventCount")
    if count != str(len(lines)):
        problems.append("EventCount %r, but %d lines" % (count, len(lines)))
    for number, line in enumerate(lines, 1):
        where = "line %d: " % number
        if "\r" in line:
            problems.append(where + "a raw CR (the service turns CR and LF into spaces)")
        try:
            envelope = json.loads(line)
        except ValueError as e:
            problems.append(where + "not JSON (%s)" % e)
            continue
        if not isinstance(envelope, dict) or "epas" not in envelope:
            problems.append(where + "not an envelope with an epas event")
            continue
        unknown = sorted(set(envelope) - ENVELOPE_KEYS)
        if unknown:
            problems.append(where + "unknown envelope keys %s" % unknown)
        if not isinstance(envelope.get("receivedAt"), int) or isinstance(envelope.get("receivedAt"), bool):
            problems.append(where + "receivedAt %r is not epoch milliseconds" % (envelope.get("receivedAt"),))
        if "origin" in envelope and not isinstance(envelope["origin"], str):
            problems.append(where + "origin %r is not a string" % (envelope["origin"],))
        problems.extend(where + p for p in _event_problems(envelope["epas"], envelope.get("source")))
    return len(lines), problems


def check_messages(messages, delivered, message_format="event", compression="none"):
    """Every message in the format and encoding the service was started with, every event well formed,
    and the events adding up to `delivered`. Returns (a summary line, the problems found)."""
    problems = []
    events = packed = gzipped = 0
    misfits = {}  # what is wrong with a message's format or encoding -> (how many, the first one's id)
    for message in messages:
        fmt = message.attributes.get("Format")
        misfit = None
        if fmt is None:
            count, found = _single_event(message)
            if message_format != "event":
                misfit = "event-format messages, but SQS_MESSAGE_FORMAT=%s" % message_format
        elif fmt == PACKED_FORMAT:
            count, found = _packed_events(message)
            packed += 1
            encoding = message.attributes.get("ContentEncoding")
            gzipped += encoding == "gzip"
            if message_format != "packed":
                misfit = "packed messages, but SQS_MESSAGE_FORMAT=%s" % message_format
            elif (encoding == "gzip") != (compression == "gzip"):
                misfit = "packed messages with ContentEncoding %r, but SQS_PACK_COMPRESSION=%s" % (
                    encoding,
                    compression,
                )
        else:
            count, found = 0, ["Format %r (want %s, or none for one event)" % (fmt, PACKED_FORMAT)]
        if misfit:
            seen, first = misfits.get(misfit, (0, message.message_id))
            misfits[misfit] = (seen + 1, first)
        events += count
        problems.extend("message %s: %s" % (message.message_id, p) for p in found)
    problems[:0] = ["%d %s (the first: %s)" % (n, misfit, first) for misfit, (n, first) in misfits.items()]
    if events != delivered:
        problems.insert(0, "the queue holds %d events, the service delivered %d" % (events, delivered))
    summary = "%d messages (%d packed, %d of them gzip) holding %d events, delivered %d" % (
        len(messages),
        packed,
        gzipped,
        events,
        delivered,
    )
    return summary, problems


class Queue:
    """The dev server's embedded ElasticMQ, over the SQS query API on one kept-alive connection."""

    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.path = parts.path or "/"
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=10)

    def call(self, **params):
        self.connection.request("GET", self.path + "?" + urllib.parse.urlencode(params))
        resp = self.connection.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise RuntimeError("%s: HTTP %d %s" % (params.get("Action"), resp.status, body[:200]))
        root = ET.fromstring(body)
        for el in root.iter():  # drop XML namespaces
            el.tag = el.tag.split("}")[-1]
        return root

    def depth(self):
        attrs = {
            a.findtext("Name"): a.findtext("Value")
            for a in self.call(Action="GetQueueAttributes", **{"AttributeName.1": "All"}).iter("Attribute")
        }
        return sum(
            int(attrs.get(k) or 0)
            for k in (
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed",
            )
        )

    def receive_all(self, expected):
        """Receive until `expected` messages came or the queue has none left; each stays invisible for
        10 minutes, so none comes twice during the read."""
        messages = []
        empty = 0
        while empty < 2 and (len(messages) < expected or empty == 0):
            batch = list(
                self.call(
                    Action="ReceiveMessage",
                    MaxNumberOfMessages=10,
                    VisibilityTimeout=600,
                    **{"MessageAttributeName.1": "All"},
                ).iter("Message")
            )
            empty = 0 if batch else empty + 1
            for m in batch:
                attributes = {
                    a.findtext("Name"): a.findtext("Value/StringValue") for a in m.iter("MessageAttribute")
                }
                messages.append(Message(m.findtext("MessageId"), m.findtext("Body"), attributes))
        return messages


def main(argv):
    url, delivered = argv[1], int(argv[2])
    message_format = argv[3] if len(argv) > 3 else "event"
    compression = argv[4] if len(argv) > 4 else "none"
    queue = Queue(url)
    depth = queue.depth()
    messages = queue.receive_all(depth)
    summary, problems = check_messages(messages, delivered, message_format, compression)
    if len(messages) != depth:
        problems.insert(0, "read %d messages, the queue's depth was %d" % (len(messages), depth))
    print("    queue %s (SQS_MESSAGE_FORMAT=%s%s): %s" % (
        url,
        message_format,
        ", SQS_PACK_COMPRESSION=" + compression if message_format == "packed" else "",
        summary,
    ))
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        print("    " + problem)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        print("    ... and %d more problems" % (len(problems) - MAX_PROBLEMS_SHOWN))
    if not problems:
        print("    every message as the contract says; the events add up to the delivered count")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
