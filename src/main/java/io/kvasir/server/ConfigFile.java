package io.kvasir.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads redis.conf text and "--name value" command-line options into a {@link Config}, with
 * Redis's fatal error report for a bad line.
 */
public final class ConfigFile {
    private ConfigFile() {}

    /** A line that stopped startup; {@link #report()} is the text Redis prints for it. */
    public static final class FatalError extends RuntimeException {
        private final int line;
        private final String text;

        FatalError(int line, String text, String reason) {
            super(reason);
            this.line = line;
            this.text = text;
        }

        public String report() {
            return "\n*** FATAL CONFIG FILE ERROR (Redis " + Kvasir.REDIS_VERSION + ") ***\n"
                    + "Reading the configuration file, at line " + line + "\n"
                    + ">>> '" + text + "'\n" + getMessage();
        }
    }

    /**
     * Builds the configuration as redis-server does from its command line: an optional config
     * file first, then options ("--port 7000" becomes the line "port 7000").
     */
    public static Config fromCommandLine(String[] argv) throws IOException {
        StringBuilder text = new StringBuilder();
        int i = 0;
        if (argv.length > 0 && !argv[0].startsWith("--")) {
            text.append(Files.readString(Path.of(argv[0]), StandardCharsets.UTF_8)).append('\n');
            i = 1;
        }
        StringBuilder options = new StringBuilder();
        for (; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--")) {
                if (options.length() > 0) options.append('\n');
                options.append(a.substring(2));
            } else {
                options.append(' ').append(quote(a));
            }
        }
        text.append(options).append('\n');
        Config config = new Config();
        load(config, text.toString());
        return config;
    }

    private static String quote(String s) {
        if (!s.isEmpty() && s.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '\'' || c == '\\')) return s;
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Applies redis.conf text to {@code config}. */
    public static void load(Config config, String text) {
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<String> words = split(line);
            if (words == null) throw new FatalError(n + 1, line, "Unbalanced quotes in configuration line");
            if (words.isEmpty()) continue;
            String name = words.get(0);
            try {
                config.set(name, words.subList(1, words.size()));
            } catch (Config.ConfigException e) {
                throw new FatalError(n + 1, line, e.getMessage());
            }
        }
    }

    /** Splits a line into words with redis.conf quoting rules; null for unbalanced quotes. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        int i = 0, n = line.length();
        while (true) {
            while (i < n && Character.isWhitespace(line.charAt(i))) i++;
            if (i >= n) return out;
            StringBuilder w = new StringBuilder();
            char quote = 0;
            while (true) {
                if (quote != 0) {
                    if (i >= n) return null;
                    char ch = line.charAt(i);
                    if (quote == '"' && ch == '\\' && i + 1 < n) {
                        char e = line.charAt(i + 1);
                        w.append(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            default -> e;
                        });
                        i += 2;
                    } else if (quote == '\'' && ch == '\\' && i + 1 < n && line.charAt(i + 1) == '\'') {
                        w.append('\'');
                        i += 2;
                    } else if (ch == quote) {
                        if (i + 1 < n && !Character.isWhitespace(line.charAt(i + 1))) return null;
                        i++;
                        break;
                    } else {
                        w.append(ch);
                        i++;
                    }
                } else {
                    if (i >= n || Character.isWhitespace(line.charAt(i))) break;
                    char ch = line.charAt(i);
                    if (ch == '"' || ch == '\'') quote = ch;
                    else w.append(ch);
                    i++;
                }
            }
            out.add(w.toString());
        }
    }
}
