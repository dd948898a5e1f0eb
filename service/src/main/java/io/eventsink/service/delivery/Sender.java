package io.eventsink.service.delivery;

import java.util.List;

/** How calls get made: on sender threads with group commit, or inline by the requests themselves. */
interface Sender extends Calls.Requeue {

    /** Takes a prepared event; the call that carries it is made now or once due. */
    void submit(PendingEvent p);

    /** Stops: nothing more is taken or sent; returns what was still waiting (never to be sent). */
    List<PendingEvent> stop();
}
