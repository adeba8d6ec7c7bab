package io.kvasir.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Logs as redis-server does ("pid:M 25 Nov 2026 18:59:30.895 * message"), honouring loglevel
 * (also when CONFIG SET changes it) and logfile. The role is 'C' until the server is
 * initialised, 'M' after, as Redis marks its early lines.
 */
final class Logging {
    private Logging() {}

    private static final String RAW = "kvasir.raw";
    static volatile char role = 'C';

    static void configure(Config config) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        @SuppressWarnings("unchecked")
        Map<String, String> rules = (Map<String, String>) ctx.getObject(CoreConstants.PATTERN_RULE_REGISTRY);
        Map<String, String> registry = rules == null ? new HashMap<>() : new HashMap<>(rules);
        registry.put("rlevel", RedisLevelConverter.class.getName());
        registry.put("rrole", RedisLevelConverter.Role.class.getName());
        ctx.putObject(CoreConstants.PATTERN_RULE_REGISTRY, registry);
        String file = config.get("logfile");
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender(ctx, file,
                ProcessHandle.current().pid() + ":%rrole %d{dd MMM yyyy HH:mm:ss.SSS} %rlevel %msg%n"));
        ch.qos.logback.classic.Logger raw = ctx.getLogger(RAW);
        raw.setAdditive(false);
        raw.setLevel(Level.ALL);
        raw.addAppender(appender(ctx, file, "%msg%n"));
        level(config.get("loglevel"));
        ctx.getLogger("io.netty").setLevel(Level.WARN);
    }

    private static OutputStreamAppender<ILoggingEvent> appender(LoggerContext ctx, String file, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(pattern);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender;
        if (file.isEmpty()) {
            appender = new ConsoleAppender<>();
        } else {
            FileAppender<ILoggingEvent> f = new FileAppender<>();
            f.setFile(file);
            appender = f;
        }
        appender.setContext(ctx);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    /** Sets the level of Kvasir's own loggers from a loglevel value (debug, verbose, notice, warning). */
    static void level(String loglevel) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return;
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(switch (loglevel) {
            case "debug" -> Level.TRACE;
            case "verbose" -> Level.DEBUG;
            case "warning" -> Level.WARN;
            case "nothing" -> Level.OFF;
            default -> Level.INFO;
        });
    }

    /** Writes a line as is, as Redis's signal handler writes its own ("pid:signal-handler (time) ..."). */
    static void raw(String line) {
        LoggerFactory.getLogger(RAW).warn(line);
    }
}
