#!/usr/bin/env python3
"""Helper of bench/scale-out.sh (Python 3 standard library only).

    scale-out.py sample <pid> <out.tsv> <max-seconds>   CPU of a process and of its JIT compiler threads
    scale-out.py report <rounds.tsv> <out-dir>           figures from each round's HAProxy log

The HAProxy log has one line per request:
    <accept ms> <Th> <Ti> <TR> <Tw> <Tc> <Tr> <Ta> <server> <status> <termination state> <retries>
For keep-alive connections HAProxy resets the accept date to the end of the previous response, so a
request starts at accept + Th + Ti; its latency is Ta (first byte of the request to the last byte of
the response, as HAProxy saw it).
"""
import glob
import json
import os
import re
import statistics
import sys
import time

STEADY_MS = 10_000  # the warm fleet's steady window, just before the spawn
FIRST_MS = 10_000  # the new pod's first traffic, judged against the steady window
CURVE_SECONDS = 30


# --- sampling ---------------------------------------------------------------------------------

def _ticks(stat_path):
    with open(stat_path) as f:
        text = f.read()
    comm = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return comm, int(fields[11]) + int(fields[12])  # utime + stime


def sample(pid, out, max_seconds):
    hz = os.sysconf("SC_CLK_TCK")
    jit_threads = {}
    deadline = time.time() + max_seconds
    with open(out, "w") as f:
        f.write("ms\tcpu_s\tjit_cpu_s\n")
        while time.time() < deadline:
            try:
                _, total = _ticks(f"/proc/{pid}/stat")
                for task in glob.glob(f"/proc/{pid}/task/*/stat"):
                    try:
                        comm, ticks = _ticks(task)
                    except (OSError, ValueError):
                        continue
                    if comm.startswith(("C1 CompilerThre", "C2 CompilerThre")):
                        tid = task.split("/")[4]
                        # compiler threads come and go; keep what an ended one had used
                        jit_threads[tid] = max(jit_threads.get(tid, 0), ticks)
            except (OSError, ValueError):
                break
            f.write(f"{int(time.time() * 1000)}\t{total / hz:.2f}\t{sum(jit_threads.values()) / hz:.2f}\n")
            f.flush()
            time.sleep(0.25)


# --- the log ----------------------------------------------------------------------------------

class Request:
    __slots__ = ("start", "latency", "server", "status", "state", "retries")

    def __init__(self, fields):
        accept, th, ti = int(fields[0]), int(fields[1]), int(fields[2])
        self.start = accept + max(th, 0) + max(ti, 0)
        self.latency = int(fields[7])
        self.server = fields[8]
        self.status = int(fields[9])
        self.state = fields[10]
        self.retries = fields[11]


def read_log(path):
    requests = []
    with open(path, errors="replace") as f:
        for line in f:
            fields = line.split()
            if len(fields) == 12 and fields[0].isdigit():
                requests.append(Request(fields))
    requests.sort(key=lambda r: r.start)
    return requests


def pct(values, p):
    """Nearest-rank percentile; None when empty."""
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))
    return s[int(k)]


def failed(r):
    return r.status >= 500 or r.status < 100 or r.latency < 0 or r.state[:2] != "--"


def window(requests, start, end, server=None):
    return [r for r in requests if start <= r.start < end and (server is None or r.server == server)]


def latencies(rs):
    return [r.latency for r in rs if r.latency >= 0]


# --- per round ----------------------------------------------------------------------------------

def read_text(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def pod_facts(directory, name, spawn):
    facts = {}
    log = read_text(os.path.join(directory, f"pod-{name}.log"))
    m = re.search(r"(\d+) milliseconds since JVM startup", log)
    facts["listening_ms"] = int(m.group(1)) if m else None
    m = re.search(r"Warm-up (done|timed out) in (\d+) ms: (\d+) requests", log)
    facts["warmup"] = ("done" if m.group(1) == "done" else "timed_out") if m else "off"
    facts["warmup_ms"] = int(m.group(2)) if m else None
    facts["warmup_requests"] = int(m.group(3)) if m else None
    if "Warm-up failed" in log:
        facts["warmup"] = "failed"
    ready = read_text(os.path.join(directory, f"ready-{name}.json"))
    if ready:
        try:
            data = json.loads(ready)["checks"][0]["data"]
            facts["warmup"] = data.get("warmup", facts["warmup"])
        except (ValueError, KeyError, IndexError):
            pass
    facts["cpu"] = []
    for line in read_text(os.path.join(directory, f"cpu-{name}.tsv")).splitlines()[1:]:
        ms, cpu, jit = line.split("\t")
        facts["cpu"].append((int(ms), float(cpu), float(jit)))
    return facts


def cpu_between(samples, start, end):
    """Cores used by the process and by its JIT threads between two times (nearest samples)."""
    inside = [s for s in samples if start <= s[0] <= end]
    if len(inside) < 2:
        return None, None
    a, b = inside[0], inside[-1]
    seconds = (b[0] - a[0]) / 1000
    return (b[1] - a[1]) / seconds, (b[2] - a[2]) / seconds


def wrk_facts(directory):
    text = read_text(os.path.join(directory, "wrk.txt"))
    statuses = {int(c): int(n) for c, n in re.findall(r"^STATUS (\d+) (\d+)$", text, re.M)}
    m = re.search(r"errors_connect=(\d+) errors_read=(\d+) errors_timeout=(\d+)", text)
    errors = sum(int(x) for x in m.groups()) if m else None
    return statuses, errors


def analyse(row):
    directory = row["dir"]
    spawn, end = int(row["spawn_ms"]), int(row["end_ms"])
    rolling = row["kind"] == "rolling"
    new, old = ("c", "b") if rolling else ("b", "a")
    requests = read_log(os.path.join(directory, "haproxy.log"))
    facts = pod_facts(directory, new, spawn)
    res = {"round": row["round"], "kind": row["kind"], "variant": row["variant"],
           "loadavg": row["loadavg"], "others_cores": row["others_cores"]}
    steady = window(requests, spawn - STEADY_MS, spawn)
    res["offered_per_s"] = len(steady) / (STEADY_MS / 1000)
    res["steady_p50"] = pct(latencies(steady), 50)
    res["steady_p99"] = pct(latencies(steady), 99)
    ready = int(row["ready_ms"])
    res["spawn_to_listening_ms"] = facts["listening_ms"]
    res["spawn_to_ready_ms"] = ready - spawn if ready > 0 else None
    res["warmup"] = facts["warmup"]
    res["warmup_ms"] = facts["warmup_ms"]
    res["warmup_requests"] = facts["warmup_requests"]
    mine = [r for r in requests if r.server == new and r.start >= spawn]
    first = mine[0].start if mine else None
    res["spawn_to_traffic_ms"] = first - spawn if first else None
    curve = []
    if first:
        for s in range(CURVE_SECONDS):
            rs = latencies(window(mine, first + s * 1000, first + (s + 1) * 1000))
            cpu, jit = cpu_between(facts["cpu"], first + s * 1000, first + (s + 1) * 1000)
            curve.append((s, len(rs), pct(rs, 50), pct(rs, 99), cpu, jit))
        head = latencies(window(mine, first, first + FIRST_MS))
        res["new_first10_n"] = len(head)
        res["new_first10_p50"] = pct(head, 50)
        res["new_first10_p99"] = pct(head, 99)
        res["new_first10_max"] = max(head) if head else None
        others = latencies(window(requests, first, first + FIRST_MS, old if not rolling else "a"))
        res["old_first10_p99"] = pct(others, 99)
        cpu, jit = cpu_between(facts["cpu"], first, first + FIRST_MS)
        res["new_first10_cpu"], res["new_first10_jit"] = cpu, jit
        cpu, jit = cpu_between(facts["cpu"], spawn, first)
        res["before_traffic_cpu"], res["before_traffic_jit"] = cpu, jit
        tail = latencies(window(mine, first + 20_000, first + 30_000))
        res["new_20_30_p99"] = pct(tail, 99)
        through_end = first + CURVE_SECONDS * 1000
    else:
        through_end = end
    if rolling:
        term, gone = int(row["term_ms"]), int(row["exit_ms"])
        res["up_to_term_ms"] = term - int(row["up_ms"])
        res["term_to_exit_ms"] = gone - term
        last_old = [r.start for r in requests if r.server == old]
        res["old_last_after_term_ms"] = max(last_old) - term if last_old else None
        through_end = max(through_end, gone + 1000)
    through = window(requests, spawn, min(through_end, end))
    res["through_n"] = len(through)
    res["through_p99"] = pct(latencies(through), 99)
    res["through_max"] = max(latencies(through)) if through else None
    res["through_5xx"] = sum(1 for r in through if r.status >= 500)
    res["through_503"] = sum(1 for r in through if r.status == 503)
    res["through_failed"] = sum(1 for r in through if failed(r))
    res["through_retries"] = sum(1 for r in through if r.retries not in ("0", "+0"))
    res["run_non_2xx"] = sum(1 for r in requests if not 200 <= r.status < 300)
    res["run_failed"] = sum(1 for r in requests if failed(r))
    statuses, errors = wrk_facts(directory)
    res["wrk_non_2xx"] = sum(n for c, n in statuses.items() if not 200 <= c < 300)
    res["wrk_socket_errors"] = errors
    res["ratio_first10"] = (res["new_first10_p99"] / res["steady_p99"]
                            if first and res["steady_p99"] and res.get("new_first10_p99") is not None else None)
    res["ratio_through"] = res["through_p99"] / res["steady_p99"] if res["steady_p99"] and res["through_p99"] else None
    return res, curve


# --- the report ---------------------------------------------------------------------------------

def fmt(v, digits=0):
    if v is None:
        return "–"
    if isinstance(v, float) and digits:
        return f"{v:.{digits}f}"
    return f"{v:,.0f}" if isinstance(v, (int, float)) else str(v)


def summary(values, digits=0):
    """median (min–max) over rounds"""
    vs = [v for v in values if v is not None]
    if not vs:
        return "–"
    med = statistics.median(vs)
    if len(vs) == 1:
        return fmt(med, digits)
    return f"{fmt(med, digits)} ({fmt(min(vs), digits)}–{fmt(max(vs), digits)})"


def report(rounds_tsv, out):
    with open(rounds_tsv) as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]
    results, curves = [], {}
    for row in rows:
        res, curve = analyse(row)
        results.append(res)
        curves.setdefault((row["kind"], row["variant"]), []).append(curve)
    keys = list(results[0].keys()) if results else []
    with open(os.path.join(out, "results.tsv"), "w") as f:
        f.write("\t".join(keys) + "\n")
        for r in results:
            f.write("\t".join("" if r.get(k) is None else (f"{r[k]:.3f}" if isinstance(r[k], float) else str(r[k]))
                              for k in keys) + "\n")
    with open(os.path.join(out, "curves.tsv"), "w") as f:
        f.write("kind\tvariant\tround\tsecond\tn\tp50_ms\tp99_ms\tcpu_cores\tjit_cores\n")
        for (kind, variant), cs in curves.items():
            for i, c in enumerate(cs):
                for s, n, p50, p99, cpu, jit in c:
                    f.write(f"{kind}\t{variant}\t{i + 1}\t{s}\t{n}\t{fmt(p50)}\t{fmt(p99)}\t"
                            f"{fmt(cpu, 2)}\t{fmt(jit, 2)}\n")
    lines = []
    variants = []
    for r in results:
        if r["kind"] == "join" and r["variant"] not in variants:
            variants.append(r["variant"])

    def col(kind, variant, key, digits=0):
        return summary([r.get(key) for r in results if r["kind"] == kind and r["variant"] == variant], digits)

    def count(kind, variant, key, value):
        rs = [r for r in results if r["kind"] == kind and r["variant"] == variant]
        return f"{sum(1 for r in rs if r.get(key) == value)}/{len(rs)}"

    if variants:
        lines.append("### A new pod joins under load")
        lines.append("")
        lines.append("Medians over rounds (min–max); times in ms from the new pod's spawn; latencies in ms "
                     "(HAProxy's Ta).")
        lines.append("")
        rows_def = [
            ("rounds", lambda v: str(sum(1 for r in results if r["kind"] == "join" and r["variant"] == v))),
            ("offered requests/s (steady window)", lambda v: col("join", v, "offered_per_s")),
            ("spawn → listening (JVM log)", lambda v: col("join", v, "spawn_to_listening_ms")),
            ("warm-up: how it ended", lambda v: ", ".join(
                f"{s} {count('join', v, 'warmup', s)}" for s in ("done", "timed_out", "off", "failed")
                if count('join', v, 'warmup', s)[0] != "0")),
            ("warm-up duration", lambda v: col("join", v, "warmup_ms")),
            ("spawn → ready (/health/ready 200)", lambda v: col("join", v, "spawn_to_ready_ms")),
            ("spawn → first request (HAProxy log)", lambda v: col("join", v, "spawn_to_traffic_ms")),
            ("pod A steady p50 / p99 (10 s before spawn)",
             lambda v: col("join", v, "steady_p50") + " / " + col("join", v, "steady_p99")),
            ("new pod first 10 s: requests", lambda v: col("join", v, "new_first10_n")),
            ("new pod first 10 s: p50", lambda v: col("join", v, "new_first10_p50")),
            ("**new pod first 10 s: p99**", lambda v: col("join", v, "new_first10_p99")),
            ("**÷ A's steady p99** (target ≤ 2)", lambda v: col("join", v, "ratio_first10", 2)),
            ("new pod first 10 s: max", lambda v: col("join", v, "new_first10_max")),
            ("new pod 20–30 s: p99", lambda v: col("join", v, "new_20_30_p99")),
            ("pod A p99 meanwhile (new pod's first 10 s)", lambda v: col("join", v, "old_first10_p99")),
            ("fleet p99 through the join (spawn → 30 s of traffic)", lambda v: col("join", v, "through_p99")),
            ("fleet 5xx / 503 / failed through the join", lambda v: col("join", v, "through_5xx") + " / "
             + col("join", v, "through_503") + " / " + col("join", v, "through_failed")),
            ("wrk: non-2xx / socket errors (whole round)",
             lambda v: col("join", v, "wrk_non_2xx") + " / " + col("join", v, "wrk_socket_errors")),
            ("new pod CPU (cores) spawn → first request", lambda v: col("join", v, "before_traffic_cpu", 2)),
            ("new pod CPU / of it JIT (cores), first 10 s of traffic",
             lambda v: col("join", v, "new_first10_cpu", 2) + " / " + col("join", v, "new_first10_jit", 2)),
            ("others' CPU on the machine (cores)", lambda v: col("join", v, "others_cores", 2)),
            ("load average (1 min) at the round's end", lambda v: col("join", v, "loadavg", 1)),
        ]
        lines.append("| | " + " | ".join(variants) + " |")
        lines.append("|---|" + "---|" * len(variants))
        for name, fn in rows_def:
            lines.append(f"| {name} | " + " | ".join(fn(v) for v in variants) + " |")
        lines.append("")

        def per_second(title, caption, cell):
            """A table of the new pod's first CURVE_SECONDS seconds, one cell per variant from its rounds' curves."""
            lines.extend([f"### {title}", "", caption, "", "| s | " + " | ".join(variants) + " |",
                          "|---|" + "---|" * len(variants)])
            for s in range(CURVE_SECONDS):
                cells = []
                for v in variants:
                    cs = [c[s] for c in curves.get(("join", v), []) if len(c) > s]
                    cells.append(cell(cs))
                lines.append(f"| {s}–{s + 1} | " + " | ".join(cells) + " |")
            lines.append("")

        def median_of(cs, i, digits=0):
            vs = [c[i] for c in cs if c[i] is not None]
            return fmt(statistics.median(vs), digits) if vs else "–"

        per_second("The new pod's latency per second of its first traffic",
                   "Median over rounds of each second's p50 / p99 (ms) and the new pod's requests in that second.",
                   lambda cs: f"{median_of(cs, 2)} / {median_of(cs, 3)} ({median_of(cs, 1)})")
        per_second("The new pod's CPU per second of its first traffic",
                   "Median over rounds of the cores the new pod used in each second / of them, its JIT compiler "
                   "threads (from /proc; the pod is pinned to one core).",
                   lambda cs: f"{median_of(cs, 4, 2)} / {median_of(cs, 5, 2)}")
    if any(r["kind"] == "rolling" for r in results):
        v = "warm-aot"
        lines.append("### Rolling restart (A, B warm; C spawned; B terminated once HAProxy sees C up)")
        lines.append("")
        lines.append("| | median (min–max) |")
        lines.append("|---|---|")
        for name, key, digits in [
            ("offered requests/s (steady window)", "offered_per_s", 0),
            ("fleet steady p50 (10 s before C's spawn)", "steady_p50", 0),
            ("**fleet steady p99**", "steady_p99", 0),
            ("C: spawn → ready", "spawn_to_ready_ms", 0),
            ("C: warm-up duration", "warmup_ms", 0),
            ("C: spawn → first request", "spawn_to_traffic_ms", 0),
            ("C seen up → B's SIGTERM", "up_to_term_ms", 0),
            ("B: SIGTERM → exit", "term_to_exit_ms", 0),
            ("B: its last request, after SIGTERM", "old_last_after_term_ms", 0),
            ("C first 10 s: p50", "new_first10_p50", 0),
            ("C first 10 s: p99", "new_first10_p99", 0),
            ("C first 10 s p99 ÷ steady p99", "ratio_first10", 2),
            ("**fleet p99 through the restart** (C's spawn → B gone and 30 s of C)", "through_p99", 0),
            ("**÷ steady p99** (target ≤ 2)", "ratio_through", 2),
            ("fleet max through the restart", "through_max", 0),
            ("requests through the restart", "through_n", 0),
            ("**failed requests** (5xx, aborted) through the restart", "through_failed", 0),
            ("5xx / 503 through the restart", "through_5xx", 0),
            ("wrk: non-2xx (whole round)", "wrk_non_2xx", 0),
            ("wrk: socket errors (whole round)", "wrk_socket_errors", 0),
            ("others' CPU on the machine (cores)", "others_cores", 2),
            ("load average (1 min) at the round's end", "loadavg", 1),
        ]:
            lines.append(f"| {name} | {col('rolling', v, key, digits)} |")
        lines.append(f"| C's warm-up: how it ended | " + ", ".join(
            f"{s} {count('rolling', v, 'warmup', s)}" for s in ("done", "timed_out", "off", "failed")
            if count('rolling', v, 'warmup', s)[0] != "0") + " |")
        lines.append("")
    lines.append("### Every round")
    lines.append("")
    lines.append("| round | kind | variant | ready ms | first request ms | warm-up | steady p99 | new pod 10 s p50/p99 "
                 "| ratio | through p99 | failed | others' cores | load avg |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        lines.append(f"| {r['round']} | {r['kind']} | {r['variant']} | {fmt(r['spawn_to_ready_ms'])} | "
                     f"{fmt(r['spawn_to_traffic_ms'])} | {r['warmup']} {fmt(r['warmup_ms'])} | {fmt(r['steady_p99'])} | "
                     f"{fmt(r.get('new_first10_p50'))}/{fmt(r.get('new_first10_p99'))} | {fmt(r['ratio_first10'], 2)} | "
                     f"{fmt(r['through_p99'])} | {r['through_failed']} | {r['others_cores']} | {r['loadavg']} |")
    lines.append("")
    lines.append(f"{os.cpu_count()} cores; {time.strftime('%Y-%m-%d', time.gmtime())}; "
                 f"load average at the end {read_text('/proc/loadavg').split()[0]}.")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write(text)
    sys.stdout.write(text)


def main(argv):
    if len(argv) == 5 and argv[1] == "sample":
        sample(int(argv[2]), argv[3], float(argv[4]))
    elif len(argv) == 4 and argv[1] == "report":
        report(argv[2], argv[3])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
