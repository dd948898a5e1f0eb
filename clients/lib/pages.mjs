// The web origin the browser tests load their pages from: the pages, the players from node_modules, and
// a 4 s DASH stream (media/) in two variants, whole and with its third segment missing (a 404).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PAGES_PORT = Number(process.env.CLIENTS_PAGES_PORT ?? 8780);
/** The origin the sink allows (run.sh sets CORS_ALLOWED_ORIGINS to it). */
export const PAGES = `http://127.0.0.1:${PAGES_PORT}`;
/** The same server under another name: another origin, one the sink does not allow. */
export const OTHER_ORIGIN = `http://localhost:${PAGES_PORT}`;

const TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript',
    '.mjs': 'text/javascript',
    '.mpd': 'application/dash+xml',
    '.mp4': 'video/mp4',
    '.m4s': 'video/iso.segment',
};
/** What the pages may load from node_modules. */
const PACKAGES = ['shaka-player/dist/', 'dashjs/dist/', '@eyevinn/'];

function file(res, relative) {
    const full = path.resolve(ROOT, relative);
    if (!full.startsWith(ROOT + path.sep)) {
        return notFound(res);
    }
    let data;
    try {
        data = readFileSync(full);
    } catch {
        return notFound(res);
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(full)] ?? 'application/octet-stream' });
    res.end(data);
}

function notFound(res) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
}

function route(req, res) {
    const { pathname } = new URL(req.url, PAGES);
    let m;
    if ((m = /^\/pages\/([\w-]+\.html)$/.exec(pathname))) {
        return file(res, `pages/${m[1]}`);
    }
    if ((m = /^\/media\/(whole|broken)\/([\w.-]+)$/.exec(pathname))) {
        if (m[1] === 'broken' && m[2] === 'seg-3.m4s') {
            return notFound(res);
        }
        return file(res, `media/${m[2]}`);
    }
    if (pathname === '/media/stream.mp4') {
        // init segment and media segments in a row: a fragmented MP4 a <video src> plays as it is
        const parts = ['init.mp4', 'seg-1.m4s', 'seg-2.m4s', 'seg-3.m4s', 'seg-4.m4s'];
        res.writeHead(200, { 'Content-Type': 'video/mp4' });
        return res.end(Buffer.concat(parts.map((p) => readFileSync(path.join(ROOT, 'media', p)))));
    }
    if (pathname === '/shim/player-analytics-specification-package.js') {
        // the EPAS SDK imports a package.json for its version: a bundler turns that into a module, so do we
        const { version } = JSON.parse(readFileSync(
            path.join(ROOT, 'node_modules/@eyevinn/player-analytics-specification/package.json'), 'utf8'));
        res.writeHead(200, { 'Content-Type': 'text/javascript' });
        return res.end(`export default ${JSON.stringify({ version })};\n`);
    }
    if ((m = /^\/node_modules\/(.+)$/.exec(pathname)) && PACKAGES.some((p) => m[1].startsWith(p))) {
        return file(res, `node_modules/${m[1]}`);
    }
    return notFound(res);
}

/** Starts the server; close it with server.close(). */
export async function servePages() {
    const server = http.createServer(route);
    server.keepAliveTimeout = 1000;
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(PAGES_PORT, '127.0.0.1', resolve);
    });
    return server;
}
