package io.kvasir.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

/** Logs as redis-server does ("pid:M date level message"), honouring loglevel and logfile. */
final class Logging {
    private Logging() {}

    static void configure(Config config) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(ProcessHandle.current().pid() + ":M %d{dd MMM yyyy HH:mm:ss.SSS} %rlevel %msg%n");
        ctx.putObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY,
                new java.util.HashMap<>(java.util.Map.of("rlevel", RedisLevelConverter.class.getName())));
        encoder.start();
        String file = config.get("logfile");
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
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(switch (config.get("loglevel")) {
            case "debug" -> Level.TRACE;
            case "verbose" -> Level.DEBUG;
            case "warning" -> Level.WARN;
            case "nothing" -> Level.OFF;
            default -> Level.INFO;
        });
        ctx.getLogger("io.netty").setLevel(Level.WARN);
    }
}
