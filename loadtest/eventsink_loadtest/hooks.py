"""What a run does around its users, registered with Locust by install(): the class weights from the
environment, the gate's command-line options, the default user class, the pass/fail gate, the final
CSV flush, and the tally file (see tally)."""

import logging
import os

from locust import events
from locust.runners import WorkerRunner

from eventsink_loadtest import tally

log = logging.getLogger("eventsink.loadtest")


def apply_user_weights(spec, user_classes):
    """LOADTEST_USER_WEIGHTS="EventSinkUser=3,CmcdEventUser=2": each named class's share when
    several classes run (an integer >= 1); classes not named keep their weight."""
    classes = {cls.__name__: cls for cls in user_classes}
    applied = {}
    for part in (spec or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, value = part.partition("=")
        name = name.strip()
        cls = classes.get(name)
        if not sep or cls is None:
            raise ValueError(
                "LOADTEST_USER_WEIGHTS: %r is not <user class>=<weight> with one of %s" % (part, ", ".join(classes))
            )
        try:
            weight = int(value.strip())
        except ValueError:
            weight = 0
        if weight < 1:
            raise ValueError("LOADTEST_USER_WEIGHTS: the weight of %s must be an integer >= 1, got %r" % (name, value))
        cls.weight = weight
        applied[name] = weight
    return applied


def _optional_number(value):
    if value is None or str(value).strip() == "":
        return None
    return float(value)


GATE_OPTIONS = (
    (
        "--max-failure-ratio",
        "LOADTEST_MAX_FAILURE_RATIO",
        "Gate: exit non-zero when failures/requests is above this (0..1; 0 = no failure allowed). "
        "Env LOADTEST_MAX_FAILURE_RATIO. Default: not checked.",
    ),
    (
        "--max-p95-ms",
        "LOADTEST_MAX_P95_MS",
        "Gate: exit non-zero when the 95th percentile response time of all requests is above this "
        "many milliseconds. Env LOADTEST_MAX_P95_MS. Default: not checked.",
    ),
    (
        "--min-requests",
        "LOADTEST_MIN_REQUESTS",
        "Gate: with a threshold set, exit non-zero when fewer requests than this were made "
        "(default 1). Env LOADTEST_MIN_REQUESTS.",
    ),
)


def _add_gate_options(parser, **_kwargs):
    for flag, env_var, help_text in GATE_OPTIONS:
        kwargs = dict(type=_optional_number, default=None, env_var=env_var, help=help_text)
        try:
            # keep them out of the web UI form (it would send strings); the gate runs at quit
            parser.add_argument(flag, include_in_web_ui=False, **kwargs)
        except TypeError:  # a parser without Locust's include_in_web_ui extension
            parser.add_argument(flag, **kwargs)


def gate_breaches(stats, max_failure_ratio=None, max_p95_ms=None, min_requests=None):
    """Return the list of threshold breaches for the aggregated stats (empty list = pass)."""
    total = stats.total
    breaches = []
    if max_failure_ratio is None and max_p95_ms is None and min_requests is None:
        return breaches
    needed = 1 if min_requests is None else int(min_requests)
    if total.num_requests < needed:
        breaches.append("only %d requests were made (minimum %d)" % (total.num_requests, needed))
    if max_failure_ratio is not None and total.num_requests:
        ratio = total.fail_ratio
        if ratio > max_failure_ratio:
            breaches.append(
                "failure ratio %.4f (%d of %d) > %g"
                % (ratio, total.num_failures, total.num_requests, max_failure_ratio)
            )
    if max_p95_ms is not None and total.num_requests:
        p95 = total.get_response_time_percentile(0.95)
        if p95 > max_p95_ms:
            breaches.append("p95 response time %.0f ms > %g ms" % (p95, max_p95_ms))
    return breaches


def _gate(environment, **_kwargs):
    options = environment.parsed_options
    if options is None or isinstance(environment.runner, WorkerRunner):
        return  # workers report to the master; the master gates on the aggregate
    max_failure_ratio = getattr(options, "max_failure_ratio", None)
    max_p95_ms = getattr(options, "max_p95_ms", None)
    min_requests = getattr(options, "min_requests", None)
    if max_failure_ratio is None and max_p95_ms is None and min_requests is None:
        return
    total = environment.stats.total
    has = total.num_requests > 0
    summary = "requests=%d failures=%d ratio=%.4f rps=%.1f p50=%.0fms p95=%.0fms p99=%.0fms max=%.0fms" % (
        total.num_requests,
        total.num_failures,
        total.fail_ratio,
        total.total_rps,
        total.get_response_time_percentile(0.5) if has else 0,
        total.get_response_time_percentile(0.95) if has else 0,
        total.get_response_time_percentile(0.99) if has else 0,
        total.max_response_time if has else 0,
    )
    breaches = gate_breaches(environment.stats, max_failure_ratio, max_p95_ms, min_requests)
    if breaches:
        log.error("GATE FAILED: %s | %s", "; ".join(breaches), summary)
        environment.process_exit_code = 1
    else:
        log.info(
            "GATE PASSED (max failure ratio %s, max p95 %s ms): %s",
            max_failure_ratio,
            max_p95_ms,
            summary,
        )


def _finish_csv_files(environment, **_kwargs):
    """Locust 2.12 rewrites the --csv files once a second, flushes them every 10 s and neither
    writes nor flushes them at exit, so they miss the end of the run. Give its writer one more
    turn with the final numbers, then flush its files (harmless on newer 2.x, which does this)."""
    options = environment.parsed_options
    if options is None or isinstance(environment.runner, WorkerRunner) or not getattr(options, "csv_prefix", None):
        return
    import gc

    import gevent
    from locust.stats import StatsCSVFileWriter

    gevent.sleep(1.2)
    for writer in [o for o in gc.get_objects() if isinstance(o, StatsCSVFileWriter)]:
        for flush in ("requests_flush", "stats_history_flush", "failures_flush", "exceptions_flush"):
            try:
                getattr(writer, flush)()
            except Exception:  # noqa: BLE001 - already closed, or another Locust version
                pass


_installed = False


def install(user_classes, default_class):
    """Apply LOADTEST_USER_WEIGHTS to user_classes and register the run hooks with Locust (once).
    default_class is what runs when no user class is named on the command line."""
    global _installed
    applied = apply_user_weights(os.environ.get("LOADTEST_USER_WEIGHTS"), user_classes)
    if _installed:
        return applied
    _installed = True

    def default_user_class(environment, **_kwargs):
        options = environment.parsed_options
        if options is None or isinstance(environment.runner, WorkerRunner):
            return  # used as a library, or a worker: the master decides which classes run
        if getattr(options, "user_classes", None) or getattr(options, "class_picker", False):
            return
        if getattr(options, "config_users", None):
            return
        if len(environment.user_classes) > 1 and default_class in environment.user_classes:
            environment.user_classes[:] = [default_class]
            log.info("No user class named: running %s (name classes to run others)", default_class.__name__)

    events.init_command_line_parser.add_listener(_add_gate_options)
    events.init.add_listener(default_user_class)
    events.request.add_listener(tally.count_single_event)
    # in this order: the verdict, then the CSV files, then the tally file
    events.quitting.add_listener(_gate)
    events.quitting.add_listener(_finish_csv_files)
    events.quitting.add_listener(tally.write_tally_file)
    return applied
