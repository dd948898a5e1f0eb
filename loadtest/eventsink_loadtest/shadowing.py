"""The simulated behaviour is mixed into, or written in, Locust User classes: none of its names may
shadow a User attribute by accident (a task called "stop" would replace User.stop() and break
shutdown). Each user module calls assert_no_shadowing on what it defines."""

from locust import FastHttpUser, HttpUser

# the User attributes a user class is meant to set
USER_OVERRIDES = frozenset({"on_start", "on_stop", "tasks", "weight", "wait_time", "fixed_count", "abstract"})


def assert_no_shadowing(cls):
    clashes = sorted(
        n
        for n in vars(cls)
        if not n.startswith("__") and n not in USER_OVERRIDES and (hasattr(HttpUser, n) or hasattr(FastHttpUser, n))
    )
    assert not clashes, "%s shadows User attributes: %s" % (cls.__name__, clashes)
