// Headless Chromium (Debian's, never a downloaded one) through playwright-core, and what a page posts to
// the sink's /cmcd: each report body and the status it was answered with.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { SINK, until } from './eventsink.mjs';
import { PAGES, servePages } from './pages.mjs';
import { decode } from './sessions.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * The test pages' origin and a browser, for the tests of one file: started before them, closed after.
 * Returns {context} once the tests run.
 */
export function browserForTheseTests() {
    const shared = {};
    let pages;
    let browser;
    before(async () => {
        pages = await servePages();
        browser = await launchBrowser();
        shared.context = browser.context;
    });
    after(async () => {
        await browser?.close();
        pages?.close();
    });
    return shared;
}

/**
 * A player reporting CMCD to the sink in a page of the test origin: loads `script`, runs `start(args)`
 * in the page (which must leave the player in window.player), waits until the reports answered so far
 * satisfy `done`, then destroys the player. Every post must have been answered 204; returns the reports.
 */
export async function playAndReport(context, { script, start, args, done }) {
    const page = await context.newPage();
    const cmcd = recordCmcdPosts(page, SINK);
    try {
        await page.goto(`${PAGES}/pages/player.html`);
        await page.addScriptTag({ url: script });
        await page.evaluate(start, args);
        await until(`the reports to show ${done}`, () => done(cmcd.reports().map(decode)));
        await cmcd.settled(); // destroy aborts the player's requests in flight
        await page.evaluate(() => window.player.destroy());
        await cmcd.settled();
    } finally {
        await page.close();
    }
    cmcd.assertAllAnswered204();
    return cmcd.reports();
}

/** A browser with a fresh profile; close() removes the profile too. */
async function launchBrowser() {
    const profile = mkdtempSync(path.join(tmpdir(), 'eventsink-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--autoplay-policy=no-user-gesture-required',
        ],
    });
    return {
        context,
        async close() {
            await context.close();
            rmSync(profile, { recursive: true, force: true });
        },
    };
}

/**
 * Records what a page posts to `url`, one entry per request: {body, contentType, status (once answered;
 * 0 and a failure text when no answer came), answer (the response body, once the page has read it)}.
 */
export function recordPosts(page, url) {
    const posts = [];
    const byRequest = new Map();
    page.on('request', (request) => {
        if (request.method() === 'POST' && request.url() === url) {
            const post = { body: request.postData() ?? '', contentType: request.headers()['content-type'], status: null };
            posts.push(post);
            byRequest.set(request, post);
        }
    });
    page.on('response', (response) => {
        const post = byRequest.get(response.request());
        if (post) {
            post.status = response.status();
            // the body, once the page has read it (Chromium finishes a response only then)
            response.text().then((text) => (post.answer = text), () => {});
        }
    });
    page.on('requestfailed', (request) => {
        const post = byRequest.get(request);
        if (post) {
            post.status = 0;
            post.failure = request.failure()?.errorText;
        }
    });
    return {
        posts,
        /** Waits until every post so far has its answer. */
        settled: () => until(`every post to ${url} answered`, () => posts.every((p) => p.status !== null)),
    };
}

/** The CMCD reports a page posts to the sink in event mode (POST …/cmcd): each post's report lines. */
export function recordCmcdPosts(page, sinkUrl) {
    const { posts, settled } = recordPosts(page, new URL('/cmcd', sinkUrl).href);
    const lines = (p) => p.body.split('\n').filter((l) => l.trim() !== '');
    return {
        posts,
        settled,
        /** The report lines of the posts answered so far, in the order they were posted. */
        reports: () => posts.filter((p) => p.status !== null && p.status !== 0).flatMap(lines),
        /**
         * Every post was answered 204 as CTA-5004-B expects, but for time-interval reports the page's own
         * teardown cancelled (a player's destroy aborts its requests in flight; the interval keeps ticking).
         */
        assertAllAnswered204() {
            for (const p of posts) {
                const cancelledTick = p.status === 0 && lines(p).every((l) => /(^|,)e=t(,|$)/.test(l));
                assert.ok(p.status === 204 || cancelledTick, `answered ${p.status} ${p.failure ?? ''}: ${p.body}`);
                assert.equal(p.contentType, 'application/cmcd');
            }
        },
    };
}
