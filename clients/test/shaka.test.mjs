// Shaka Player 5.2 in headless Chromium, playing the local DASH stream with CMCD v2 event reporting to
// EventSink, configured as docs/cmcd.md says. Its own code reports: the page only loads and destroys it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { browserForTheseTests, playAndReport } from '../lib/browser.mjs';
import { SINK, storedSession } from '../lib/eventsink.mjs';
import { PAGES } from '../lib/pages.mjs';
import { checkSession, decode, payloadOf } from '../lib/sessions.mjs';

const browser = browserForTheseTests();

/** Plays `variant` of the stream with Shaka's `build` until `done(reports)` holds. */
async function play(build, variant, done) {
    const sessionId = `shaka-${randomUUID()}`;
    const reports = await playAndReport(browser.context, {
        script: `/node_modules/shaka-player/dist/shaka-player.${build}.js`,
        start: async ({ manifest, sessionId, sink }) => {
            const video = document.getElementById('video');
            video.autoplay = true;
            window.player = new shaka.Player();
            window.player.configure({
                // a missing segment is a fatal error at once, not after retries
                streaming: { retryParameters: { maxAttempts: 1, baseDelay: 100 } },
                cmcd: {
                    enabled: true,
                    version: 2,
                    sessionId,
                    contentId: 'movie-42',
                    eventTargets: [{ url: `${sink}/cmcd`, events: ['ps', 'e', 't', 'bc', 'c'], interval: 1 }],
                },
            });
            await window.player.attach(video);
            await window.player.load(manifest);
        },
        args: { manifest: `${PAGES}/media/${variant}/stream.mpd`, sessionId, sink: SINK },
        done,
    });
    return { sessionId, reports };
}

test("Shaka's production build: no play-state reports at all, yet init, loaded and its bitrate", async () => {
    const { sessionId, reports } = await play('compiled', 'whole', (sent) => sent.some((r) => r.msd !== undefined));
    const sent = reports.map(decode);
    assert.deepEqual([sent[0].e, sent[0].sn], ['t', 0], 'the first report is the time-interval one, sn=0');
    // Closure's renaming in the compiled builds turns the play-state key into another name: no e=ps at all
    // (docs/cmcd.md). When this fails, Shaka reports play states again: update the docs and this test.
    assert.ok(sent.every((r) => r.e !== 'ps'), `Shaka's production build sent e=ps: ${reports}`);

    const stored = await storedSession(sessionId);
    const names = checkSession(stored, reports);
    assert.ok(names.includes('heartbeat') && names.includes('bitrate_changed'), `${names}`);
    assert.equal(payloadOf(stored, 'bitrate_changed').bitrate, 40);
});

test('Shaka, a segment missing: an error without ec becomes error "unknown", and no sta=s ever', async () => {
    const { sessionId, reports } = await play('compiled.debug', 'broken', (sent) => sent.some((r) => r.e === 'e'));
    const sent = reports.map(decode);
    assert.deepEqual([sent[0].e, sent[0].sn], ['t', 0], 'the first report is the time-interval one, sn=0');
    assert.ok(sent.every((r) => r.sta !== 's'), `Shaka never reports starting: ${reports}`);
    assert.ok(sent.some((r) => r.e === 'ps' && r.sta === 'p'), `the debug build reports play states: ${reports}`);
    const error = sent.find((r) => r.e === 'e');
    assert.equal(error.ec, undefined, 'Shaka reports its errors without ec');

    const stored = await storedSession(sessionId);
    const names = checkSession(stored, reports);
    assert.ok(names.includes('playing'), `${names}`);
    assert.equal(payloadOf(stored, 'error').code, 'unknown');
    assert.equal(payloadOf(stored, 'stopped').reason, 'error');
});
