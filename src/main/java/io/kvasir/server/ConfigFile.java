package io.kvasir.server;

import io.kvasir.server.Config.Directive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * redis.conf text and "--name value" command-line options read into a {@link Config} as
 * redis-server reads them (same line numbering, same fatal error report), and CONFIG REWRITE.
 */
public final class ConfigFile {
    private ConfigFile() {}

    /** A line that stopped startup; {@link #report()} is the text Redis prints for it. */
    public static final class FatalError extends RuntimeException {
        private final int line;
        private final String text;

        FatalError(int line, String text, String reason) {
            super(reason, null, false, false);
            this.line = line;
            this.text = text;
        }

        public String report() {
            return "\n*** FATAL CONFIG FILE ERROR (Redis " + Kvasir.REDIS_VERSION + ") ***\n"
                    + "Reading the configuration file, at line " + line + "\n"
                    + ">>> '" + text + "'\n" + getMessage();
        }
    }

    /** A config file that could not be read; the message is Redis's log line text. */
    public static final class UnreadableFile extends RuntimeException {
        UnreadableFile(String path, String reason) {
            super("Fatal error, can't open config file '" + path + "': " + reason, null, false, false);
        }
    }

    /** What a redis-server command line says: the config file, stdin, and the options as config text. */
    public record CommandLine(String file, boolean stdin, String options) {}

    /**
     * Splits argv as redis-server does: a first argument not starting with '-' is the config
     * file; "-" first or last reads the config from stdin; each "--name" starts a line and the
     * values after it are appended quoted ("--port 7000" becomes {@code port "7000"}).
     */
    public static CommandLine parseArgs(String[] argv) {
        int j = 0;
        String file = null;
        boolean stdin = false;
        if (argv.length > 0 && !argv[0].startsWith("-")) {
            file = argv[0];
            j = 1;
        }
        StringBuilder options = new StringBuilder();
        for (; j < argv.length; j++) {
            String a = argv[j];
            if (a.equals("-") && (j == 0 || j == argv.length - 1)) {
                stdin = true;
            } else if (a.startsWith("--")) {
                if (options.length() > 0) options.append('\n');
                options.append(a.substring(2)).append(' ');
                // "--save" with no value means save "" (no snapshots).
                if (a.equals("--save") && (j + 1 == argv.length || argv[j + 1].startsWith("--"))) options.append("\"\" ");
            } else {
                options.append(repr(a)).append(' ');
            }
        }
        return new CommandLine(file, stdin, options.toString());
    }

    /** Builds the configuration from a redis-server command line. */
    public static Config fromCommandLine(String[] argv, InputStream stdin) {
        CommandLine cl = parseArgs(argv);
        StringBuilder text = new StringBuilder();
        Config config = new Config();
        if (cl.file() != null) {
            Path p = Path.of(cl.file()).toAbsolutePath();
            text.append(read(p, cl.file()));
            config.file(p);
        }
        if (cl.stdin()) {
            try {
                text.append(new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UnreadableFile("-", e.getMessage());
            }
        }
        text.append('\n').append(cl.options());
        load(config, text.toString());
        return config;
    }

    private static String read(Path p, String shown) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UnreadableFile(shown, "No such file or directory");
        } catch (IOException e) {
            throw new UnreadableFile(shown, e.getMessage());
        }
    }

    /** Applies redis.conf text to {@code config}; an "include" loads the named file there. */
    public static void load(Config config, String text) {
        loadText(config, text);
        config.endLoad();
    }

    private static void loadText(Config config, String text) {
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = trim(lines[n]);
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<String> words = split(line);
            if (words == null) throw new FatalError(n + 1, line, "Unbalanced quotes in configuration line");
            if (words.isEmpty()) continue;
            String name = words.get(0).toLowerCase(java.util.Locale.ROOT);
            List<String> values = words.subList(1, words.size());
            try {
                if (config.directive(name) == null && fileOnly(config, name, values)) continue;
                config.set(name, values);
            } catch (Config.ConfigException e) {
                throw new FatalError(n + 1, line, e.getMessage());
            }
        }
    }

    /**
     * The directives a config file may hold that are not settings: include, and those whose
     * features Kvasir does not have yet (rename-command, user, loadmodule), accepted so that
     * a redis.conf that uses them still starts. Returns false for an unknown name.
     */
    private static boolean fileOnly(Config config, String name, List<String> values) {
        switch (name) {
            case "include" -> {
                if (values.size() != 1) return false;
                loadText(config, read(Path.of(values.get(0)), values.get(0)));
                return true;
            }
            case "rename-command" -> {
                return values.size() == 2;
            }
            case "user", "loadmodule" -> {
                return !values.isEmpty();
            }
            default -> {
                return false;
            }
        }
    }

    private static String trim(String s) {
        int a = 0, b = s.length();
        while (a < b && " \t\r\n".indexOf(s.charAt(a)) >= 0) a++;
        while (b > a && " \t\r\n".indexOf(s.charAt(b - 1)) >= 0) b--;
        return s.substring(a, b);
    }

    /**
     * Splits a line into words with redis.conf quoting (Redis's sdssplitargs): "double quotes"
     * with \n \r \t \b \a \xHH escapes, 'single quotes' with \' only; a closing quote must be
     * followed by a space. Returns null for unbalanced quotes.
     */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        int i = 0, n = line.length();
        while (true) {
            while (i < n && Character.isWhitespace(line.charAt(i))) i++;
            if (i >= n) return out;
            StringBuilder w = new StringBuilder();
            char quote = 0;
            while (true) {
                if (quote == '"') {
                    if (i >= n) return null;
                    char ch = line.charAt(i);
                    if (ch == '\\' && i + 3 < n && line.charAt(i + 1) == 'x' && isHex(line.charAt(i + 2))
                            && isHex(line.charAt(i + 3))) {
                        w.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
                        i += 4;
                    } else if (ch == '\\' && i + 1 < n) {
                        char e = line.charAt(i + 1);
                        w.append(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> (char) 7;
                            default -> e;
                        });
                        i += 2;
                    } else if (ch == '"') {
                        if (i + 1 < n && !Character.isWhitespace(line.charAt(i + 1))) return null;
                        i++;
                        break;
                    } else {
                        w.append(ch);
                        i++;
                    }
                } else if (quote == '\'') {
                    if (i >= n) return null;
                    char ch = line.charAt(i);
                    if (ch == '\\' && i + 1 < n && line.charAt(i + 1) == '\'') {
                        w.append('\'');
                        i += 2;
                    } else if (ch == '\'') {
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

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /** Quotes a string as Redis's sdscatrepr does: "..." with C escapes and \xHH for the rest. */
    static String repr(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 32 && c < 127) sb.append((char) c);
                    else sb.append(String.format("\\x%02x", c));
                }
            }
        }
        return sb.append('"').toString();
    }

    // ---- CONFIG REWRITE ----

    private static final String MARKER = "# Generated by CONFIG REWRITE";

    /**
     * Rewrites the config file in place as Redis does: a directive's line is replaced where it
     * is, extra lines for it are blanked, settings that differ from their default and are not in
     * the file are appended after a marker; comments and other lines stay.
     */
    public static void rewrite(Config config) throws IOException {
        Path path = config.file();
        List<String> lines = new ArrayList<>();
        if (Files.exists(path)) {
            String old = Files.readString(path, StandardCharsets.UTF_8);
            lines.addAll(List.of(old.split("\n", -1)));
            if (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast();
        }
        boolean hasMarker = false;
        Map<Directive, List<Integer>> slots = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = trim(lines.get(i));
            if (line.equals(MARKER)) hasMarker = true;
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<String> words = split(line);
            if (words == null || words.isEmpty()) continue;
            Directive d = config.directive(words.get(0));
            if (d != null) slots.computeIfAbsent(d, k -> new ArrayList<>()).add(i);
        }
        List<String> appended = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (Directive d : config.all()) {
            List<Integer> free = slots.getOrDefault(d, List.of());
            List<String> wanted = new ArrayList<>();
            List<Boolean> force = new ArrayList<>();
            linesFor(d, wanted, force);
            int next = 0;
            for (int k = 0; k < wanted.size(); k++) {
                if (next < free.size()) {
                    int at = free.get(next++);
                    lines.set(at, wanted.get(k));
                    used.add(at);
                } else if (force.get(k)) {
                    appended.add(wanted.get(k));
                }
            }
            for (; next < free.size(); next++) lines.set(free.get(next), "");
        }
        if (!appended.isEmpty()) {
            if (!hasMarker) {
                if (!lines.isEmpty() && !lines.getLast().isEmpty()) lines.add("");
                lines.add(MARKER);
            }
            lines.addAll(appended);
        }
        StringBuilder out = new StringBuilder();
        for (String l : lines) out.append(l).append('\n');
        Files.writeString(path, out.toString(), StandardCharsets.UTF_8);
    }

    /** The config file lines for a directive, each with whether it must be written (non-default). */
    private static void linesFor(Directive d, List<String> lines, List<Boolean> force) {
        boolean changed = !d.value.equals(d.defaultValue);
        switch (d.name) {
            case "save" -> { // Redis always writes the save points, default or not
                if (d.value.isEmpty()) {
                    lines.add("save \"\"");
                    force.add(true);
                    return;
                }
                String[] w = d.value.split(" ");
                for (int i = 0; i < w.length; i += 2) {
                    lines.add("save " + w[i] + " " + w[i + 1]);
                    force.add(true);
                }
                return;
            }
            case "client-output-buffer-limit" -> {
                String[] w = d.value.split(" ");
                String[] def = d.defaultValue.split(" ");
                for (int i = 0; i < w.length; i += 4) {
                    lines.add(d.name + " " + w[i] + " " + Config.formatMemory(Long.parseUnsignedLong(w[i + 1])) + " "
                            + Config.formatMemory(Long.parseUnsignedLong(w[i + 2])) + " " + w[i + 3]);
                    force.add(!(w[i + 1].equals(def[i + 1]) && w[i + 2].equals(def[i + 2]) && w[i + 3].equals(def[i + 3])));
                }
                return;
            }
            case "latency-tracking-info-percentiles" -> { // Redis writes it even at its default
                lines.add(d.name + " " + d.value);
                force.add(true);
                return;
            }
            case "dir" -> {
                lines.add("dir " + repr(d.value));
                force.add(true); // Redis always records the working directory
                return;
            }
            default -> { }
        }
        lines.add(d.name + " " + format(d));
        force.add(changed);
    }

    private static String format(Directive d) {
        return switch (d.type) {
            case MEMORY -> Config.formatMemory(d.number);
            case PERCENT -> d.value.endsWith("%") ? d.value : Config.formatMemory(d.number);
            case STRING -> repr(d.value);
            case SPECIAL -> d.name.equals("notify-keyspace-events") || d.name.equals("proc-title-template")
                    || d.name.equals("dbfilename") || d.name.equals("appendfilename") || d.name.equals("appenddirname")
                    || d.name.equals("cluster-announce-hostname") ? repr(d.value) : d.value;
            default -> d.value;
        };
    }
}
