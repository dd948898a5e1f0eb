"""queue_check on hand-made messages of both queue formats (ci-gate.sh runs these before the service starts):
python3 -m unittest discover -s loadtest/ci"""

import base64
import gzip
import json
import unittest

from queue_check import Message, check_messages, packed_lines

HEARTBEAT = {"event": "heartbeat", "sessionId": "s-1", "timestamp": 1700000000123, "playhead": 5000, "duration": 600000}
CMCD_PLAYING = {"event": "playing", "sessionId": "c-1", "timestamp": 1700000000200, "playhead": 0, "duration": -1}


def event_message(event, message_id="m-1", **attributes):
    attrs = {"Event": event["event"], "Time": str(event["timestamp"]), "ReceivedAt": "1700000000999"}
    attrs.update(attributes)
    return Message(message_id, json.dumps(event), attrs)


def envelope(event, **meta):
    line = {"receivedAt": 1700000000999}
    line.update(meta)
    line["epas"] = event
    return json.dumps(line, separators=(",", ":"))


def packed_message(lines, message_id="p-1", gzipped=False, count=None, body=None):
    ndjson = "".join(line + "\n" for line in lines)
    attrs = {"Format": "epas-ndjson", "EventCount": str(len(lines) if count is None else count)}
    if gzipped:
        attrs["ContentEncoding"] = "gzip"
        ndjson = base64.b64encode(gzip.compress(ndjson.encode("utf-8"))).decode("ascii")
    return Message(message_id, ndjson if body is None else body, attrs)


class EventFormat(unittest.TestCase):
    def test_events_with_their_attributes_pass(self):
        messages = [event_message(HEARTBEAT), event_message(CMCD_PLAYING, "m-2", Source="cmcd")]
        summary, problems = check_messages(messages, 2)
        self.assertEqual([], problems)
        self.assertIn("2 messages (0 packed, 0 of them gzip) holding 2 events, delivered 2", summary)

    def test_a_time_attribute_that_is_not_the_timestamp_is_reported(self):
        _, problems = check_messages([event_message(HEARTBEAT, Time="1700000000000")], 1)
        self.assertEqual(1, len(problems))
        self.assertIn("message m-1: attributes", problems[0])

    def test_a_cmcd_event_with_a_content_duration_is_reported(self):
        _, problems = check_messages([event_message(HEARTBEAT, Source="cmcd")], 1)
        self.assertEqual(["message m-1: source 'cmcd' with duration 600000"], problems)

    def test_a_missing_event_is_reported(self):
        summary, problems = check_messages([event_message(HEARTBEAT)], 2)
        self.assertEqual(["the queue holds 1 events, the service delivered 2"], problems)

    def test_a_packed_message_is_wrong_in_the_event_format(self):
        _, problems = check_messages([packed_message([envelope(HEARTBEAT)])], 1)
        self.assertEqual(["1 packed messages, but SQS_MESSAGE_FORMAT=event (the first: p-1)"], problems)


class PackedFormat(unittest.TestCase):
    def test_each_line_is_one_event(self):
        messages = [
            packed_message([envelope(HEARTBEAT, origin="https://player.example.com"), envelope(HEARTBEAT)]),
            packed_message([envelope(CMCD_PLAYING, source="cmcd")], "p-2"),
        ]
        summary, problems = check_messages(messages, 3, "packed")
        self.assertEqual([], problems)
        self.assertIn("2 messages (2 packed, 0 of them gzip) holding 3 events, delivered 3", summary)

    def test_gzip_bodies_are_base64_of_the_gzip_stream(self):
        lines = [envelope(dict(HEARTBEAT, timestamp=1700000000000 + i)) for i in range(50)]
        message = packed_message(lines, gzipped=True)
        self.assertEqual(lines, packed_lines(message))
        summary, problems = check_messages([message], 50, "packed", "gzip")
        self.assertEqual([], problems)
        self.assertIn("(1 packed, 1 of them gzip) holding 50 events", summary)

    def test_the_encoding_must_be_the_one_configured(self):
        _, problems = check_messages([packed_message([envelope(HEARTBEAT)])], 1, "packed", "gzip")
        self.assertEqual(
            ["1 packed messages with ContentEncoding None, but SQS_PACK_COMPRESSION=gzip (the first: p-1)"], problems
        )
        _, problems = check_messages([packed_message([envelope(HEARTBEAT)], gzipped=True)], 1, "packed")
        self.assertEqual(
            ["1 packed messages with ContentEncoding 'gzip', but SQS_PACK_COMPRESSION=none (the first: p-1)"], problems
        )

    def test_event_format_messages_are_wrong_in_the_packed_format_and_counted_once(self):
        messages = [event_message(HEARTBEAT, "m-%d" % i) for i in range(3)] + [packed_message([envelope(HEARTBEAT)])]
        _, problems = check_messages(messages, 4, "packed")
        self.assertEqual(["3 event-format messages, but SQS_MESSAGE_FORMAT=packed (the first: m-0)"], problems)

    def test_event_count_must_match_the_lines(self):
        _, problems = check_messages([packed_message([envelope(HEARTBEAT)] * 3, count=4)], 3, "packed")
        self.assertEqual(["message p-1: EventCount '4', but 3 lines"], problems)

    def test_unreadable_bodies_are_reported_not_raised(self):
        cases = {
            "no final LF": (packed_message([], body=envelope(HEARTBEAT)), "the last line does not end in LF"),
            "not base64": (
                Message("p-1", "not base64!", {"Format": "epas-ndjson", "EventCount": "1", "ContentEncoding": "gzip"}),
                "not base64 of a gzip stream",
            ),
            "base64 of plain text": (
                Message(
                    "p-1",
                    base64.b64encode(b"{}\n").decode(),
                    {"Format": "epas-ndjson", "EventCount": "1", "ContentEncoding": "gzip"},
                ),
                "not base64 of a gzip stream",
            ),
            "other encoding": (
                Message("p-1", "{}\n", {"Format": "epas-ndjson", "EventCount": "1", "ContentEncoding": "br"}),
                "ContentEncoding 'br'",
            ),
        }
        for label, (message, expected) in cases.items():
            with self.subTest(label):
                _, problems = check_messages([message], 0, "packed", message.attributes.get("ContentEncoding", "none"))
                self.assertTrue(any(expected in p for p in problems), problems)

    def test_lines_must_be_envelopes_of_well_formed_events(self):
        cases = {
            "not JSON": ('{"receivedAt":1,"epas":', "not JSON (Expecting value"),
            "no epas": ('{"receivedAt":1700000000999}', "not an envelope with an epas event"),
            "an array": ("[1,2]", "not an envelope with an epas event"),
            "unknown key": (envelope(HEARTBEAT, shardId="x"), "unknown envelope keys ['shardId']"),
            "receivedAt string": (json.dumps({"receivedAt": "1", "epas": HEARTBEAT}), "receivedAt '1'"),
            "origin number": (envelope(HEARTBEAT, origin=3), "origin 3 is not a string"),
            "raw CR": (envelope(HEARTBEAT).replace(",", ",\r", 1), "a raw CR"),
            "cmcd with duration": (envelope(HEARTBEAT, source="cmcd"), "source 'cmcd' with duration 600000"),
            "epas not an object": (json.dumps({"receivedAt": 1, "epas": "heartbeat"}), "not a JSON object"),
            "no timestamp": (envelope({"event": "init", "sessionId": "s"}), "timestamp None is not a number"),
        }
        for label, (line, expected) in cases.items():
            with self.subTest(label):
                _, problems = check_messages([packed_message([envelope(HEARTBEAT), line])], 2, "packed")
                self.assertEqual(1, len(problems), problems)
                self.assertIn("message p-1: line 2: ", problems[0])
                self.assertIn(expected, problems[0])

    def test_events_are_counted_across_messages(self):
        messages = [packed_message([envelope(HEARTBEAT)] * n, "p-%d" % n) for n in (1, 7, 12)]
        summary, problems = check_messages(messages, 20, "packed")
        self.assertEqual([], problems)
        _, problems = check_messages(messages, 21, "packed")
        self.assertEqual(["the queue holds 20 events, the service delivered 21"], problems)

    def test_an_unknown_format_holds_no_event_it_can_count(self):
        message = Message("x-1", "{}", {"Format": "avro", "EventCount": "1"})
        _, problems = check_messages([message], 1, "packed")
        self.assertEqual(
            [
                "the queue holds 0 events, the service delivered 1",
                "message x-1: Format 'avro' (want epas-ndjson, or none for one event)",
            ],
            problems,
        )


if __name__ == "__main__":
    unittest.main()
