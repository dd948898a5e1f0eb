// dash.js 5.2 in headless Chromium, playing the local DASH stream with CMCD v2 event reporting to EventSink:
// configured as docs/cmcd.md says, and with an event target that lists no enabledKeys (dash.js's default). Its own code
// reports: the page only starts the player and destroys it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { browserForTheseTests, playAndReport } from '../lib/browser.mjs';
import { drainQueue, metric, SINK, storedSession } from '../lib/eventsink.mjs';
import { PAGES } from '../lib/pages.mjs';
import { checkSession, decode, EVENTSINK_KEYS, payloadOf } from '../lib/sessions.mjs';

const browser = browserForTheseTests();

/** Plays `variant` of the stream with one event target (`target` plus the sink's URL) until `done(reports)` holds. */
async function play(variant, target, done) {
    const sessionId = `dashjs-${randomUUID()}`;
    const reports = await playAndReport(browser.context, {
        script: '/node_modules/dashjs/dist/modern/umd/dash.all.min.js',
        start: ({ manifest, sessionId, target }) => {
            window.player = dashjs.MediaPlayer().create();
            window.player.updateSettings({
                debug: { logLevel: dashjs.Debug.LOG_LEVEL_NONE },
                streaming: {
                    // a missing segment is an error at once, not after retries
                    retryAttempts: { MediaSegment: 0 },
                    cmcd: { enabled: true, version: 2, sid: sessionId, cid: 'movie-42', eventTargets: [target] },
                },
            });
            window.player.initialize(document.getElementById('video'), manifest, true);
        },
        args: { manifest: `${PAGES}/media/${variant}/stream.mpd`, sessionId, target: { url: `${SINK}/cmcd`, ...target } },
        done,
    });
    return { sessionId, reports };
}

test('dash.js, a segment missing: init, loaded and error "27" from its integer ec', async () => {
    const { sessionId, reports } = await play(
        'broken',
        { events: ['ps', 'e', 't', 'bc'], enabledKeys: EVENTSINK_KEYS, interval: 30 },
        (sent) => sent.some((r) => r.e === 'e'),
    );
    const sent = reports.map(decode);
    assert.deepEqual([sent[0].e, sent[0].sn], ['t', 0], 'the first report is the time-interval one, sn=0');
    const error = sent.find((r) => r.e === 'e');
    assert.equal(error.ec, 27, 'dash.js sends its error code as a bare integer (27: a segment download failed)');

    const stored = await storedSession(sessionId);
    const names = checkSession(stored, reports);
    assert.ok(['heartbeat', 'loading', 'playing'].every((n) => names.includes(n)), `${names}`);
    assert.equal(payloadOf(stored, 'error').code, '27');
});

test('dash.js, an event target without enabledKeys (its default): no sid, every report 204, counted, nothing stored', async () => {
    const skippedBefore = await metric('eventsink_cmcd_reports_skipped_total', { reason: 'no_session_id' });
    const storedBefore = (await drainQueue()).length;
    const { reports } = await play('whole', { events: ['ps', 't'] }, (sent) => sent.length >= 3);
    const sent = reports.map(decode);
    assert.ok(sent.every((r) => r.sid === undefined && r.v === 2), `e, ts and v only: ${reports}`);
    assert.equal(
        await metric('eventsink_cmcd_reports_skipped_total', { reason: 'no_session_id' }),
        skippedBefore + sent.length,
    );
    assert.equal((await drainQueue()).length, storedBefore, 'nothing stored');
});
