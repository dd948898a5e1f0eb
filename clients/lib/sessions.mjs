// What a worker needs of an EPAS session made from a player's CMCD reports, checked on what the sink stored.
import assert from 'node:assert/strict';
import { decodeCmcd } from '@svta/cml-cmcd';

/** The keys docs/cmcd.md asks an event target to send to EventSink. */
export const EVENTSINK_KEYS = ['sid', 'cid', 'sn', 'v', 'sta', 'pt', 'msd', 'bsd', 'br', 'ec'];

/** A report line as the Common Media Library reads it (keys to values; tokens as strings). */
export const decode = (line) => decodeCmcd(line);

const count = (names, name) => names.filter((n) => n === name).length;

/**
 * The stored session (timestamp order) against the reports the player sent: exactly one init, and it
 * sorts first (its timestamp is -1); one loaded when some report carried the startup delay (msd); an
 * error for each e=e report; every event marked as mapped from CMCD, with no content duration.
 * Returns the event names, for the caller's own expectations.
 */
export function checkSession(stored, reportLines) {
    const reports = reportLines.map(decode);
    const names = stored.map((e) => e.epas.event);
    assert.equal(count(names, 'init'), 1, `exactly one init in ${names}`);
    assert.equal(names[0], 'init', `init before anything else in ${names}`);
    const startupDelays = reports.filter((r) => r.msd !== undefined).length;
    assert.equal(count(names, 'loaded'), startupDelays, `one loaded per report with msd in ${names}`);
    const errors = reports.filter((r) => r.e === 'e').length;
    assert.equal(count(names, 'error'), errors, `one error per e=e report in ${names}`);
    for (const { epas, source } of stored) {
        assert.equal(source, 'cmcd', `${JSON.stringify(epas)} marked as mapped from CMCD`);
        assert.equal(epas.duration, -1, `${JSON.stringify(epas)}: CMCD has no content duration`);
    }
    return names;
}

/** The payload of the first stored event of a type. */
export function payloadOf(stored, event) {
    return stored.find((e) => e.epas.event === event)?.epas.payload;
}
