package io.kvasir.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A differential test script: blocks of commands sent to the real redis-server and to Kvasir,
 * whose raw replies must match byte for byte. Format (one command per line):
 *
 * <pre>
 * # comment
 * === block name             starts a block; each block runs on fresh connections after FLUSHALL,
 *                            once in RESP2 and once after HELLO 3 (RESP3)
 * !resp2 / !resp3            (first lines of a block) run it under that protocol only
 * SET key "a b" 'c'          a command; quotes and \n \r \t \\ \" \xHH escapes as in redis-cli
 * !sort SMEMBERS s           compare with the elements of array replies sorted (order-free replies)
 * !type TTL k                compare only the reply's first line type byte (values that vary)
 * !skip TIME                 send and read both replies, compare nothing
 * !raw "*1\r\n$4\r\nPING\r\n" send these bytes; compare everything both servers send back
 *                            until they go quiet, and whether they closed the connection
 * !sleep 120                 wait this many milliseconds
 * !replies 3 SUBSCRIBE a b c  compare the next 3 replies (a command that answers several times)
 * !unordered 2 PUNSUBSCRIBE   compare the next 2 replies as a set (replies in Redis's hash order)
 * !read 2                     send nothing, compare the next 2 replies (pushed messages); 1 if no count
 * !unordered !read 2          the same, as a set
 * !replies 0 BLPOP l 0        send a command and read nothing yet (it blocks; a later !read takes the reply)
 * &#64;sub SUBSCRIBE ch          any line above, prefixed with &#64;name: run on the block's connection named
 *                             "sub", opened (HELLO 3 first in RESP3) at its first use, for what takes
 *                             several clients (pub/sub, WATCH, blocking, CLIENT KILL...); others run on
 *                             the main one
 * !capture id CLIENT ID       send, compare only the reply's type, and keep each server's reply (an
 *                             integer or a string) as the block's variable "id"
 * CLIENT TRACKING on REDIRECT {id}
 *                             in a later argument, {id} stands for that server's own value (what
 *                             differs between servers, such as client ids, never leaks into the
 *                             comparison this way)
 * !vars CLIENT GETREDIR       compare with every integer reply equal to a variable of that server
 *                             written as {name} (a reply that shows an id)
 * </pre>
 */
public final class DiffScript {
    public enum Mode { EXACT, SORTED, TYPE, SKIP, RAW, SLEEP, UNORDERED }

    /**
     * One line: what to send (nothing if {@code args} is empty), on which connection (null for the main
     * one), and how many replies to compare.
     */
    public record Step(Mode mode, List<byte[]> args, byte[] raw, int lineNumber, String source, String connection,
            int replies, String capture, boolean vars) {}

    public record Block(String file, String name, List<Step> steps, boolean resp2, boolean resp3) {}

    public static List<Block> parse(String file, InputStream in) throws IOException {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        String name = null;
        List<Step> steps = null;
        boolean r2 = true, r3 = true;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("===")) {
                if (name != null) blocks.add(new Block(file, name, steps, r2, r3));
                name = line.substring(3).strip();
                steps = new ArrayList<>();
                r2 = r3 = true;
                continue;
            }
            if (name == null) throw new IOException(file + ":" + (n + 1) + ": command before the first '=== block'");
            Mode mode = Mode.EXACT;
            String rest = line;
            String connection = null;
            if (rest.startsWith("@")) {
                connection = firstWord(rest).substring(1);
                rest = afterFirstWord(rest);
                if (connection.isEmpty() || rest.isEmpty()) {
                    throw new IOException(file + ":" + (n + 1) + ": '@name' needs a name and a line");
                }
            }
            int replies = 1;
            boolean readOnly = false, vars = false;
            String capture = null;
            while (rest.startsWith("!")) {
                String word = firstWord(rest).substring(1);
                rest = afterFirstWord(rest);
                switch (word) {
                    case "resp2" -> r3 = false;
                    case "resp3" -> r2 = false;
                    case "sort" -> mode = Mode.SORTED;
                    case "type" -> mode = Mode.TYPE;
                    case "skip" -> mode = Mode.SKIP;
                    case "raw" -> mode = Mode.RAW;
                    case "sleep" -> mode = Mode.SLEEP;
                    case "vars" -> {
                        vars = true;
                        continue;
                    }
                    case "capture" -> {
                        mode = Mode.TYPE;
                        capture = firstWord(rest);
                        rest = afterFirstWord(rest);
                        if (capture.isEmpty() || rest.isEmpty()) {
                            throw new IOException(file + ":" + (n + 1) + ": '!capture' needs a name and a command");
                        }
                    }
                    case "replies", "unordered", "read" -> {
                        if (word.equals("unordered")) mode = Mode.UNORDERED;
                        if (word.equals("read")) readOnly = true;
                        String count = firstWord(rest);
                        if (!count.isEmpty() && count.chars().allMatch(Character::isDigit)) {
                            replies = Integer.parseInt(count);
                            rest = afterFirstWord(rest);
                        }
                        continue;
                    }
                    default -> throw new IOException(file + ":" + (n + 1) + ": unknown directive !" + word);
                }
                break;
            }
            if (rest.isEmpty() && !readOnly) continue; // !resp2 / !resp3
            List<byte[]> args = split(rest);
            if (args == null) throw new IOException(file + ":" + (n + 1) + ": unbalanced quotes");
            byte[] raw = mode == Mode.RAW ? args.get(0) : null;
            steps.add(new Step(mode, args, raw, n + 1, line, connection, replies, capture, vars));
        }
        if (name != null) blocks.add(new Block(file, name, steps, r2, r3));
        return blocks;
    }

    private static String firstWord(String s) {
        int sp = s.indexOf(' ');
        return sp < 0 ? s : s.substring(0, sp);
    }

    private static String afterFirstWord(String s) {
        int sp = s.indexOf(' ');
        return sp < 0 ? "" : s.substring(sp + 1).strip();
    }

    /** Splits a line into arguments with redis-cli's quoting; null for unbalanced quotes. */
    static List<byte[]> split(String line) {
        List<byte[]> out = new ArrayList<>();
        byte[] s = line.getBytes(StandardCharsets.UTF_8);
        int i = 0, n = s.length;
        while (true) {
            while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
            if (i >= n) return out;
            ByteArrayOutputStream w = new ByteArrayOutputStream();
            byte quote = 0;
            while (true) {
                if (quote != 0) {
                    if (i >= n) return null;
                    byte c = s[i];
                    if (quote == '"' && c == '\\' && i + 3 < n && s[i + 1] == 'x') {
                        w.write(Integer.parseInt(new String(s, i + 2, 2, StandardCharsets.US_ASCII), 16));
                        i += 4;
                    } else if (quote == '"' && c == '\\' && i + 1 < n) {
                        byte e = s[i + 1];
                        w.write(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case '0' -> 0;
                            default -> e;
                        });
                        i += 2;
                    } else if (c == quote) {
                        i++;
                        break;
                    } else {
                        w.write(c);
                        i++;
                    }
                } else {
                    if (i >= n || s[i] == ' ' || s[i] == '\t') break;
                    if (s[i] == '"' || s[i] == '\'') quote = s[i];
                    else w.write(s[i]);
                    i++;
                }
            }
            out.add(w.toByteArray());
        }
    }
}
