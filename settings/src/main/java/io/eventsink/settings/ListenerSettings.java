package io.eventsink.settings;

/** Where the service listens (the operator sets these itself). Read through {@link ServiceSettings}. */
interface ListenerSettings {
    Setting HOST = Setting.text("HOST", null, "0.0.0.0", null, "Bind address of both listeners.");
    Setting PORT =
            Setting.integer("PORT", null, 3000, 0, 65535, null, "Public HTTP port: POST /, POST /cmcd, OPTIONS.");
    Setting MANAGEMENT_PORT = Setting.integer(
            "MANAGEMENT_PORT", null, 9090, 0, 65535, null, "Health and metrics port; never exposed publicly.");
}
