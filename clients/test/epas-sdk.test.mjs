// The EPAS web SDK (@eyevinn/player-analytics-client-sdk-web 0.2.0) in headless Chromium, watching a <video>
// that plays the local stream, posting EPAS events to EventSink's POST /.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { browserForTheseTests, recordPosts } from '../lib/browser.mjs';
import { SINK, storedSession, until } from '../lib/eventsink.mjs';
import { PAGES } from '../lib/pages.mjs';

const browser = browserForTheseTests();

async function sdkPage() {
    const page = await browser.context.newPage();
    const posts = recordPosts(page, `${SINK}/`);
    await page.goto(`${PAGES}/pages/epas-sdk.html`);
    await page.waitForFunction(() => window.PlayerAnalyticsConnector !== undefined);
    return { page, posts };
}

test('the SDK reports a playback as an EPAS session, in seconds, with its own heartbeat interval', async () => {
    const sessionId = `epas-sdk-${randomUUID()}`;
    const { page, posts } = await sdkPage();
    let seen;
    try {
        seen = await page.evaluate(
            async ({ sink, sessionId, media }) => {
                const video = document.getElementById('video');
                const analytics = new window.PlayerAnalyticsConnector(sink);
                await analytics.init({ sessionId });
                analytics.load(video);
                video.src = media;
                await video.play();
                await new Promise((resolve) => {
                    const past = () => video.currentTime > 1 && (video.removeEventListener('timeupdate', past), resolve());
                    video.addEventListener('timeupdate', past);
                });
                analytics.reportStop();
                const heartbeatInterval = analytics.heartbeatInterval;
                analytics.destroy();
                return { heartbeatInterval, duration: video.duration };
            },
            { sink: `${SINK}/`, sessionId, media: `${PAGES}/media/stream.mp4` },
        );
        await posts.settled();
    } finally {
        await page.close();
    }
    for (const post of posts.posts) {
        assert.equal(post.status, 200, `${post.body} answered ${post.status} ${post.failure ?? ''}`);
    }
    // EventSink's init answer says 5000 ms; the SDK keeps the one it was given, else its own 30 s
    const initAnswer = await until('the answer to init, read by the SDK', () => posts.posts[0].answer);
    assert.equal(JSON.parse(initAnswer).heartbeatInterval, 5000);
    assert.equal(seen.heartbeatInterval, 30000);

    const stored = (await storedSession(sessionId)).map((e) => e.epas);
    const names = stored.map((e) => e.event);
    assert.equal(names.filter((n) => n === 'init').length, 1, `${names}`);
    assert.ok(['loading', 'loaded', 'playing', 'stopped'].every((n) => names.includes(n)), `${names}`);
    assert.equal(stored.find((e) => e.event === 'stopped').payload.reason, 'aborted');
    // playhead and duration in seconds, where EPAS (and EventSink's CMCD mapping) use milliseconds
    const stop = stored.find((e) => e.event === 'stopped');
    assert.equal(stop.duration, seen.duration);
    assert.ok(stop.duration > 3 && stop.duration < 5, `the 4 s stream's duration is ${stop.duration}`);
    assert.ok(stop.playhead > 1 && stop.playhead < 5, `playhead ${stop.playhead}`);
});

test('init without a sessionId is refused with 400: EPAS needs one, the SDK does not make one up', async () => {
    const { page, posts } = await sdkPage();
    let failure;
    try {
        failure = await page.evaluate(async (sink) => {
            try {
                await new window.PlayerAnalyticsConnector(sink).init({});
                return null;
            } catch (e) {
                return String(e.message);
            }
        }, `${SINK}/`);
        await posts.settled();
    } finally {
        await page.close();
    }
    assert.match(failure, /init failed/);
    assert.equal(posts.posts.length, 1);
    assert.equal(posts.posts[0].status, 400);
    assert.equal(JSON.parse(posts.posts[0].body).sessionId, undefined);
});
