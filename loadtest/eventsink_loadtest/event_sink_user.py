"""EventSinkUser, the default class: realistic player sessions, one event per POST /."""

from locust import HttpUser, between

from eventsink_loadtest.player_session import PlayerSession, session_tasks
from eventsink_loadtest.shadowing import assert_no_shadowing


class EventSinkUser(PlayerSession, HttpUser):
    """Realistic player sessions: init once, metadata, heartbeats (most frequent), playback
    events, bitrate changes, occasional errors/warnings, stopped -> next session."""

    weight = 3  # share in mixed runs (several classes named): 3 : 1 : 1
    wait_time = between(1, 3)
    tasks = session_tasks(heartbeat_weight=12)


assert_no_shadowing(EventSinkUser)
