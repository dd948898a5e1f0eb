// The queue reader the other tests rely on reads both message formats (docs: the event format, one event per
// message; the packed format, NDJSON envelopes, plain or gzip): checked here on messages built by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { eventsOf } from '../lib/eventsink.mjs';

const attr = (value) => ({ DataType: 'String', StringValue: value });
const heartbeat = { event: 'heartbeat', sessionId: 's-1', timestamp: 1767225600000, playhead: 0, duration: -1 };
const init = { event: 'init', sessionId: 's-1', timestamp: -1, playhead: -1, duration: -1 };

test('the event format: the body is the event, its attributes must match it', () => {
    const message = { Body: JSON.stringify(heartbeat), MessageAttributes: {
        Event: attr('heartbeat'), Time: attr('1767225600000'), Source: attr('cmcd') } };
    assert.deepEqual(eventsOf(message), [{ epas: heartbeat, source: 'cmcd' }]);
    assert.throws(() => eventsOf({ ...message, MessageAttributes: { ...message.MessageAttributes, Event: attr('init') } }));
});

test('the packed format: NDJSON envelopes, plain or base64 of gzip', () => {
    const ndjson = [
        JSON.stringify({ receivedAt: 1767225600100, source: 'cmcd', epas: init }),
        JSON.stringify({ receivedAt: 1767225600100, origin: 'https://player.example', epas: heartbeat }),
    ].join('\n') + '\n';
    const want = [{ epas: init, source: 'cmcd' }, { epas: heartbeat, source: null }];
    const plain = { Body: ndjson, MessageAttributes: { Format: attr('epas-ndjson'), EventCount: attr('2') } };
    assert.deepEqual(eventsOf(plain), want);
    const gzip = { Body: gzipSync(ndjson).toString('base64'), MessageAttributes: {
        Format: attr('epas-ndjson'), EventCount: attr('2'), ContentEncoding: attr('gzip') } };
    assert.deepEqual(eventsOf(gzip), want);
    assert.throws(() => eventsOf({ ...plain, MessageAttributes: { ...plain.MessageAttributes, EventCount: attr('3') } }));
    assert.throws(() => eventsOf({ ...plain, MessageAttributes: { Format: attr('avro') } }));
});
