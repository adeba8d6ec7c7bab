package io.kvasir.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Prints a log level as redis-server marks it: '.' debug, '-' verbose, '*' notice, '#' warning. */
public final class RedisLevelConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        Level l = event.getLevel();
        if (l.isGreaterOrEqual(Level.WARN)) return "#";
        if (l.isGreaterOrEqual(Level.INFO)) return "*";
        if (l.isGreaterOrEqual(Level.DEBUG)) return "-";
        return ".";
    }

    /** Prints the process role as Redis does: 'C' while starting, 'M' once the server runs. */
    public static final class Role extends ClassicConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return String.valueOf(Logging.role);
        }
    }
}
