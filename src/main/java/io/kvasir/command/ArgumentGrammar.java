package io.kvasir.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the argument grammar of every command from {@code arguments.txt}: one line per command
 * ({@code set ...}) or subcommand ({@code client|kill ...}); lines starting with a blank continue the
 * previous one; {@code #} starts a comment line. The notation reads like the command's usage line:
 *
 * <pre>
 * name:type        a value: key string integer double pattern unix-time     key:key  count:integer
 * TOKEN            a pure token, named after its token in lower case         NX  KEEPTTL
 * name=TOKEN       a pure token with a name of its own                      change=CH  auto_id="*"
 * TOKEN x          a token that introduces x                                EX seconds:integer
 * name(a b c)      a block: a, b and c in sequence                          LIMIT offset_count(offset:integer count:integer)
 * name(a | b | c)  a oneof: a, b or c                                       condition(NX | XX)
 * [x]              optional
 * x...             multiple
 * x*               multiple, the token repeated before each value           [PREFIX prefix:string*]
 * x@6.2.0          since;  x~2.8.12 deprecated since
 * x#0              key_spec_index (by default the n-th key-typed argument has index n)
 * "*"              a token that is not an upper-case word
 * </pre>
 */
final class ArgumentGrammar {
    private static final Set<String> VALUE_TYPES = Set.of("key", "string", "integer", "double", "pattern", "unix-time");

    private final String src;
    private int pos;
    private int keyOrdinal;

    private ArgumentGrammar(String src) {
        this.src = src;
    }

    /** The grammar of every command in the resource file, by lower-case full name ("client|kill"). */
    static Map<String, List<Argument>> load() {
        try (InputStream in = ArgumentGrammar.class.getResourceAsStream("arguments.txt")) {
            if (in == null) throw new IllegalStateException("arguments.txt is missing");
            return parseFile(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, List<Argument>> parseFile(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int n = 0;
        for (String line; (line = r.readLine()) != null; ) {
            n++;
            if (line.isBlank() || line.startsWith("#")) continue;
            if (Character.isWhitespace(line.charAt(0))) {
                if (lines.isEmpty()) throw new IllegalArgumentException("arguments.txt:" + n + ": continuation of nothing");
                lines.set(lines.size() - 1, lines.getLast() + " " + line.strip());
            } else {
                lines.add(line.strip());
                numbers.add(n);
            }
        }
        Map<String, List<Argument>> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int sp = line.indexOf(' ');
            String name = (sp < 0 ? line : line.substring(0, sp)).toLowerCase(Locale.ROOT);
            try {
                List<Argument> args = parse(sp < 0 ? "" : line.substring(sp + 1));
                if (out.put(name, args) != null) throw new IllegalArgumentException("command listed twice");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("arguments.txt:" + numbers.get(i) + " (" + name + "): " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Parses one command's arguments (the line without the command name). */
    static List<Argument> parse(String text) {
        ArgumentGrammar g = new ArgumentGrammar(text);
        List<Argument> out = new ArrayList<>();
        while (g.skipBlanks() < g.src.length()) out.add(g.argument());
        return Collections.unmodifiableList(out);
    }

    private Argument argument() {
        skipBlanks();
        if (peek() != '[') return item(0);
        pos++;
        Argument a = item(Argument.OPTIONAL);
        skipBlanks();
        expect(']');
        return a;
    }

    private Argument item(int flags) {
        skipBlanks();
        String token = null;
        if (isTokenStart(peek())) {
            String t = token();
            int afterToken = pos;
            if (skipBlanks() > afterToken && isNameStart(peek())) {
                token = t;
            } else {
                pos = afterToken;
                return suffixes(new Builder(t.toLowerCase(Locale.ROOT), "pure-token", t, flags));
            }
        }
        String name = name();
        Builder b;
        if (peek() == '=') {
            pos++;
            if (token != null) throw error("a pure token cannot have a token before it");
            b = new Builder(name, "pure-token", token(), flags);
        } else if (peek() == '(') {
            pos++;
            b = group(name, token, flags);
        } else {
            int colon = name.lastIndexOf(':');
            String type = colon < 0 ? "" : name.substring(colon + 1);
            if (!VALUE_TYPES.contains(type)) throw error("expected name:type, name=TOKEN or name(...) at '" + name + "'");
            b = new Builder(name.substring(0, colon), type, token, flags);
            if (type.equals("key")) b.keySpecIndex = keyOrdinal++;
        }
        return suffixes(b);
    }

    /** After "name(": a block (arguments in sequence) or a oneof (arguments separated by '|'). */
    private Builder group(String name, String token, int flags) {
        List<Argument> children = new ArrayList<>();
        children.add(argument());
        skipBlanks();
        boolean oneof = peek() == '|';
        while (skipBlanks() < src.length() && peek() != ')') {
            if (oneof) expect('|');
            else if (peek() == '|') throw error("'|' in a block: a oneof needs '|' between all its arguments");
            children.add(argument());
        }
        expect(')');
        Builder b = new Builder(name, oneof ? "oneof" : "block", token, flags);
        b.arguments = List.copyOf(children);
        return b;
    }

    private Argument suffixes(Builder b) {
        while (true) {
            if (src.startsWith("...", pos)) {
                pos += 3;
                b.flags |= Argument.MULTIPLE;
            } else if (peek() == '*') {
                pos++;
                b.flags |= Argument.MULTIPLE | Argument.MULTIPLE_TOKEN;
            } else if (peek() == '@') {
                pos++;
                b.since = version();
            } else if (peek() == '~') {
                pos++;
                b.deprecatedSince = version();
            } else if (peek() == '#') {
                pos++;
                int start = pos;
                while (Character.isDigit(peek())) pos++;
                if (start == pos) throw error("expected a key spec index after '#'");
                b.keySpecIndex = Integer.parseInt(src.substring(start, pos));
            } else {
                return b.build();
            }
        }
    }

    private String version() {
        int start = pos;
        while (Character.isDigit(peek()) || (peek() == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) pos++;
        if (start == pos) throw error("expected a version");
        return src.substring(start, pos);
    }

    private String token() {
        if (peek() == '"') {
            int end = src.indexOf('"', pos + 1);
            if (end < 0) throw error("unterminated quoted token");
            String t = src.substring(pos + 1, end);
            pos = end + 1;
            return t;
        }
        int start = pos;
        while (isTokenChar(peek())) pos++;
        return src.substring(start, pos);
    }

    private String name() {
        int start = pos;
        while (isNameChar(peek())) pos++;
        if (start == pos) throw error("expected an argument");
        return src.substring(start, pos);
    }

    private static boolean isTokenStart(char c) { return (c >= 'A' && c <= 'Z') || c == '"'; }
    private static boolean isTokenChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; }
    private static boolean isNameStart(char c) { return c >= 'a' && c <= 'z'; }
    private static boolean isNameChar(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ':' || c == '/';
    }

    private char peek() { return pos < src.length() ? src.charAt(pos) : 0; }

    private int skipBlanks() {
        while (pos < src.length() && src.charAt(pos) == ' ') pos++;
        return pos;
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at column " + (pos + 1) + ": " + src);
    }

    private static final class Builder {
        final String name, type, token;
        int flags;
        int keySpecIndex = -1;
        String since, deprecatedSince;
        List<Argument> arguments = List.of();

        Builder(String name, String type, String token, int flags) {
            this.name = name;
            this.type = type;
            this.token = token;
            this.flags = flags;
        }

        Argument build() {
            return new Argument(name, type, keySpecIndex, token, since, deprecatedSince, flags, arguments);
        }
    }
}
