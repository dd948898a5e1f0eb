"""HighVolumeEventSinkUser: EventSinkUser's sessions with rapid heartbeats, on FastHttpUser."""

from locust import FastHttpUser, between

from eventsink_loadtest.player_session import PlayerSession, session_tasks
from eventsink_loadtest.shadowing import assert_no_shadowing


class HighVolumeEventSinkUser(PlayerSession, FastHttpUser):
    """The same sessions plus rapid heartbeats every 0.1-0.5 s: stress for the queue path."""

    weight = 1
    wait_time = between(0.1, 0.5)
    tasks = session_tasks(heartbeat_weight=80)


assert_no_shadowing(HighVolumeEventSinkUser)
