// Headless Chromium (Debian's, never a downloaded one) through playwright-core, and what a page posts to
// the sink's /cmcd: each report body and the status it was answered with.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { until } from './eventsink.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** A browser with a fresh profile; close() removes the profile too. */
export async function launchBrowser() {
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
