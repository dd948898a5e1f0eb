package io.eventsink.service.http;

import io.helidon.common.buffers.DataReader;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Helidon's HTTP/1 connection logs a WARNING with a stack trace for two client mistakes that
 * never reach our routing: a client hanging up in the middle of its request head, and a request
 * method that is not an HTTP token. Client mistakes are not worth a stack trace, so those two
 * records become one line at FINE; every other record of that logger passes untouched.
 */
public final class ClientErrorLogFilter implements Filter {

    static final String HELIDON_HTTP1_LOGGER = "io.helidon.webserver.http1.Http1Connection";
    /** Held strongly: JUL keeps loggers weakly, and a collected logger would lose its filter. */
    private static final Logger HTTP1 = Logger.getLogger(HELIDON_HTTP1_LOGGER);

    private static final Logger LOG = Logger.getLogger(ClientErrorLogFilter.class.getName());

    private ClientErrorLogFilter() {}

    /** Installs the filter on Helidon's HTTP/1 connection logger (idempotent). */
    public static void install() {
        if (!(HTTP1.getFilter() instanceof ClientErrorLogFilter)) {
            HTTP1.setFilter(new ClientErrorLogFilter());
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String clientMistake = clientMistake(record.getThrown());
        if (clientMistake == null) {
            return true;
        }
        LOG.log(Level.FINE, "Closed a connection: {0}", clientMistake);
        return false;
    }

    static String clientMistake(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof DataReader.InsufficientDataAvailableException) {
                return "the client hung up in the middle of its request";
            }
            if (t instanceof IllegalArgumentException
                    && String.valueOf(t.getMessage()).startsWith("Token contains illegal character")) {
                return "the request method is not an HTTP token";
            }
        }
        return null;
    }
}
