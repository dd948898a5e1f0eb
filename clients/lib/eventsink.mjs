// The EventSink dev server the tests talk to (run.sh starts it and sets these variables), and what it
// stored: the queue read back through ElasticMQ's SQS API, in either message format.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const SINK = process.env.EVENTSINK_URL ?? 'http://127.0.0.1:3300';
export const MANAGEMENT = process.env.EVENTSINK_MANAGEMENT_URL ?? 'http://127.0.0.1:9390';
export const QUEUE_URL = process.env.EVENTSINK_QUEUE_URL ?? 'http://127.0.0.1:9624/000000000000/eventsink-dev';
const SERVICE_LOG = process.env.EVENTSINK_LOG;

/** One call of SQS's JSON protocol (ElasticMQ speaks it as AWS does). */
async function sqs(action, params) {
    const res = await fetch(new URL('/', QUEUE_URL), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AmazonSQS.${action}` },
        body: JSON.stringify({ QueueUrl: QUEUE_URL, ...params }),
    });
    const text = await res.text();
    if (!res.ok) {
        throw new Error(`SQS ${action}: ${res.status} ${text}`);
    }
    return text ? JSON.parse(text) : {};
}

/**
 * The events of one SQS message. The event format (one event, no Format attribute) carries the event
 * JSON as its body and the attributes Event and Time; the packed format (Format=epas-ndjson) carries
 * NDJSON envelopes {receivedAt, origin?, source?, epas}, base64 of gzip with ContentEncoding=gzip.
 */
export function eventsOf(message) {
    const attributes = Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
    );
    if (attributes.Format === undefined) {
        const epas = JSON.parse(message.Body);
        if (attributes.Event !== epas.event || attributes.Time !== String(epas.timestamp)) {
            throw new Error(`message attributes ${JSON.stringify(attributes)} do not match ${message.Body}`);
        }
        return [{ epas, source: attributes.Source ?? null }];
    }
    if (attributes.Format !== 'epas-ndjson') {
        throw new Error(`unknown message Format ${attributes.Format}`);
    }
    const body = attributes.ContentEncoding === 'gzip'
        ? gunzipSync(Buffer.from(message.Body, 'base64')).toString('utf8')
        : message.Body;
    const lines = body.split('\n').filter((line) => line !== '');
    if (String(lines.length) !== attributes.EventCount) {
        throw new Error(`EventCount ${attributes.EventCount}, but ${lines.length} lines`);
    }
    return lines.map((line) => {
        const envelope = JSON.parse(line);
        return { epas: envelope.epas, source: envelope.source ?? null };
    });
}

const stored = [];

/**
 * Reads (and deletes) every message now in the queue. A 2xx from the sink means the queue has the
 * events, so once a client's requests are answered this finds all of them.
 */
export async function drainQueue() {
    for (;;) {
        const { Messages: messages = [] } = await sqs('ReceiveMessage', {
            MaxNumberOfMessages: 10,
            MessageAttributeNames: ['All'],
            VisibilityTimeout: 60,
            WaitTimeSeconds: 0,
        });
        if (messages.length === 0) {
            return stored;
        }
        for (const message of messages) {
            stored.push(...eventsOf(message));
        }
        await sqs('DeleteMessageBatch', {
            Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        });
    }
}

/** The stored EPAS events of one session, in timestamp order (the order a worker reading the queue can rebuild). */
export async function storedSession(sessionId) {
    await drainQueue();
    return stored
        .filter((e) => e.epas.sessionId === sessionId)
        .sort((a, b) => a.epas.timestamp - b.epas.timestamp);
}

/** The sum of a Prometheus sample over the label sets that contain every given label. */
export async function metric(name, labels = {}) {
    const text = await (await fetch(new URL('/metrics', MANAGEMENT))).text();
    let sum = 0;
    for (const line of text.split('\n')) {
        const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
        if (m && m[1] === name && Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) {
            sum += Number(m[3]);
        }
    }
    return sum;
}

/** The service's log so far (run.sh sends it to a file), or null when not known. */
export function serviceLog() {
    return SERVICE_LOG ? readFileSync(SERVICE_LOG, 'utf8') : null;
}

/** Polls a condition (as Awaitility does) until it holds or the time is up. */
export async function until(what, condition, timeoutMs = 30000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await condition();
        if (value) {
            return value;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}
