package io.eventsink.service.metrics;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Timer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Optional;

/**
 * Where the service's meter holders get their meters: the JVM's registry, or nowhere. The warm-up
 * drives the pod's own request path, whose requests must not show on the pod's meters; Helidon 4 has
 * one registry per JVM (a second one warns of a duplicate instantiation), hence meters that discard.
 */
public interface Meters {

    <B extends Meter.Builder<B, M>, M extends Meter> M getOrCreate(B builder);

    void remove(Meter meter);

    static Meters of(MeterRegistry registry) {
        return new Meters() {
            @Override
            public <B extends Meter.Builder<B, M>, M extends Meter> M getOrCreate(B builder) {
                return registry.getOrCreate(builder);
            }

            @Override
            public void remove(Meter meter) {
                registry.remove(meter);
            }
        };
    }

    /** Meters that count nothing and are registered nowhere. */
    static Meters discarding() {
        return Discarding.METERS;
    }

    /** Meters of each kind as proxies whose methods do nothing and answer zero, empty or null. */
    final class Discarding implements Meters {

        private static final Meters METERS = new Discarding();

        private static final InvocationHandler NOTHING = (proxy, method, args) -> switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "discarded meter";
            default -> zero(method.getReturnType());
        };

        private Discarding() {}

        @Override
        @SuppressWarnings("unchecked")
        public <B extends Meter.Builder<B, M>, M extends Meter> M getOrCreate(B builder) {
            Class<?> kind = builder instanceof Counter.Builder
                    ? Counter.class
                    : builder instanceof Timer.Builder
                            ? Timer.class
                            : builder instanceof DistributionSummary.Builder
                                    ? DistributionSummary.class
                                    : builder instanceof Gauge.Builder<?> ? Gauge.class : Meter.class;
            return (M) Proxy.newProxyInstance(Meter.class.getClassLoader(), new Class<?>[] {kind}, NOTHING);
        }

        @Override
        public void remove(Meter meter) {
            // registered nowhere
        }

        private static Object zero(Class<?> type) {
            if (type == boolean.class) {
                return false;
            }
            if (type == long.class) {
                return 0L;
            }
            if (type == int.class) {
                return 0;
            }
            if (type == double.class) {
                return 0.0;
            }
            if (type == Optional.class) {
                return Optional.empty();
            }
            return null;
        }
    }
}
