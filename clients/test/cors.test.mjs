// CORS as a browser does it: a page on an allowed origin posts to / and /cmcd (both need a preflight:
// application/json and application/cmcd are not CORS-safelisted types); a page on another origin cannot.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { browserForTheseTests } from '../lib/browser.mjs';
import { SINK, storedSession } from '../lib/eventsink.mjs';
import { OTHER_ORIGIN, PAGES } from '../lib/pages.mjs';

const browser = browserForTheseTests();

/** A page of `origin` that posts a CMCD report and an EPAS event; the preflights Chromium sent, seen through CDP. */
async function postFrom(origin, sid) {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    const preflights = [];
    cdp.on('Network.requestWillBeSent', ({ type, request }) => {
        if (request.method === 'OPTIONS') {
            preflights.push({ type, url: request.url, headers: request.headers });
        }
    });
    await cdp.send('Network.enable');
    try {
        await page.goto(`${origin}/pages/player.html`);
        return {
            preflights,
            answers: await page.evaluate(
                async ({ sink, sid }) => {
                    const post = (path, type, body) => fetch(`${sink}${path}`, { method: 'POST', headers: { 'Content-Type': type }, body })
                        .then(async (r) => ({ status: r.status, body: await r.text() }), (e) => ({ error: String(e) }));
                    return {
                        cmcd: await post('/cmcd', 'application/cmcd', `e=t,sid="${sid}",sn=0,ts=${Date.now()},v=2\n`),
                        epas: await post('/', 'application/json', JSON.stringify({
                            event: 'heartbeat', sessionId: sid, timestamp: Date.now(), playhead: 0, duration: -1,
                        })),
                    };
                },
                { sink: SINK, sid },
            ),
        };
    } finally {
        await page.close();
    }
}

test('from the allowed origin: preflight, then the posts are answered and stored', async () => {
    const sid = `cors-${randomUUID()}`;
    const { preflights, answers } = await postFrom(PAGES, sid);
    assert.equal(answers.cmcd.status, 204, JSON.stringify(answers.cmcd));
    assert.equal(answers.epas.status, 200, JSON.stringify(answers.epas));
    assert.equal(JSON.parse(answers.epas.body).valid, true);
    for (const path of ['/cmcd', '/']) {
        const preflight = preflights.find((p) => new URL(p.url).pathname === path);
        assert.ok(preflight, `a preflight for ${path} in ${JSON.stringify(preflights)}`);
        const headers = Object.fromEntries(Object.entries(preflight.headers).map(([k, v]) => [k.toLowerCase(), v]));
        assert.equal(headers['access-control-request-method'], 'POST');
        assert.equal(headers['access-control-request-headers'], 'content-type');
    }
    const stored = (await storedSession(sid)).map((e) => e.epas.event);
    assert.deepEqual(stored.toSorted(), ['heartbeat', 'heartbeat', 'init']);
});

test('from another origin: the browser gets no permission and posts nothing', async () => {
    const sid = `cors-${randomUUID()}`;
    const { answers } = await postFrom(OTHER_ORIGIN, sid);
    assert.match(answers.cmcd.error ?? '', /TypeError/, JSON.stringify(answers.cmcd));
    assert.match(answers.epas.error ?? '', /TypeError/, JSON.stringify(answers.epas));
    assert.deepEqual(await storedSession(sid), []);
});
