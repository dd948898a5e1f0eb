// The Common Media Library's CMCD reporter (@svta/cml-cmcd, what Shaka Player vendors and dash.js bundles),
// in Node, reporting a playback to EventSink's /cmcd with its own encoder and its own request.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { CmcdReporter } from '@svta/cml-cmcd';
import { drainQueue, metric, serviceLog, SINK, storedSession, until } from '../lib/eventsink.mjs';
import { checkSession, decode, EVENTSINK_KEYS, payloadOf } from '../lib/sessions.mjs';

/** A reporter with one event target at the sink, sending through CML's own request (fetch), watched. */
function reporter(sid, target) {
    const posts = [];
    const send = async (request) => {
        const post = { lines: request.body.split('\n').filter((l) => l !== ''), contentType: request.headers['Content-Type'] };
        posts.push(post);
        const { url, ...init } = request;
        const response = await fetch(url, init);
        post.status = response.status;
        return response;
    };
    const r = new CmcdReporter({ sid, cid: 'movie-42', eventTargets: [{ url: `${SINK}/cmcd`, ...target }] }, send);
    return {
        r,
        posts,
        reports: () => posts.flatMap((p) => p.lines),
        settled: () => until('every report answered', () => posts.every((p) => p.status !== undefined)),
    };
}

test('a playback reported by the CML reporter is one complete EPAS session', async () => {
    const sid = `cml-${randomUUID()}`;
    const { r, posts, reports, settled } = reporter(sid, {
        events: ['ps', 'e', 't', 'bc'],
        enabledKeys: EVENTSINK_KEYS,
        interval: 30,
    });
    r.start(); // an immediate time-interval report: the session's first (sn=0)
    r.update({ sta: 's', pt: 0 });
    r.update({ msd: 1450 }); // sent once, on the next report
    r.update({ sta: 'p', br: [3000] });
    r.update({ sta: 'r', pt: 4000 });
    r.update({ sta: 'p', bsd: [600], pt: 4000 });
    r.recordEvent('e', { ec: ['SEG_404', 'RETRY_EXHAUSTED'] });
    r.recordEvent('e'); // no error code at all, as Shaka Player reports its errors
    r.update({ sta: 'e', pt: 96000 });
    r.stop(true);
    await settled();

    const sent = reports().map(decode);
    assert.deepEqual([sent[0].e, sent[0].sn], ['t', 0], 'the CML reporter starts with a time-interval report, sn=0');
    assert.ok(posts.every((p) => p.status === 204 && p.contentType === 'application/cmcd'), JSON.stringify(posts));
    assert.equal(sent.find((s) => s.msd !== undefined)?.sta, 'p', 'msd rides on the report after it was set');

    const stored = await storedSession(sid);
    const names = checkSession(stored, reports());
    assert.deepEqual(names.toSorted(), [
        'bitrate_changed', 'buffered', 'buffering', 'error', 'error', 'heartbeat', 'init', 'loaded', 'loading',
        'playing', 'playing', 'stopped',
    ].toSorted());
    assert.equal(payloadOf(stored, 'stopped').reason, 'ended');
    assert.deepEqual(
        stored.filter((e) => e.epas.event === 'error').map((e) => e.epas.payload.code).toSorted(),
        ['SEG_404', 'unknown'],
    );
    assert.equal(payloadOf(stored, 'bitrate_changed').bitrate, 3000);
});

test('a target without enabledKeys sends no sid: answered 204, counted, logged, nothing stored', async () => {
    const skippedBefore = await metric('eventsink_cmcd_reports_skipped_total', { reason: 'no_session_id' });
    const storedBefore = (await drainQueue()).length;
    const { r, posts, reports, settled } = reporter(`cml-${randomUUID()}`, { events: ['ps', 't'], interval: 30 });
    r.start();
    r.update({ sta: 's' });
    r.update({ sta: 'p' });
    r.stop(true);
    await settled();

    const sent = reports().map(decode);
    assert.equal(sent.length, 3);
    assert.ok(sent.every((s) => s.sid === undefined), `no sid in ${reports()}`);
    assert.ok(posts.every((p) => p.status === 204), 'CTA-5004-B: skipped reports are still answered 204');
    assert.equal(
        await metric('eventsink_cmcd_reports_skipped_total', { reason: 'no_session_id' }),
        skippedBefore + 3,
    );
    assert.equal((await drainQueue()).length, storedBefore, 'nothing stored');
    const log = serviceLog();
    if (log !== null) {
        assert.match(log, /CMCD: \d+ reports? skipped without sid since the last such line/);
    }
});
