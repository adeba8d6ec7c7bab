package io.kvasir.command;

import io.kvasir.protocol.Reply;
import java.util.List;

/**
 * One argument of a command as COMMAND DOCS describes it (and redis-cli reads for its hints): a
 * name, a type, and for "oneof" and "block" the nested arguments. Parsed from the notation in
 * {@code arguments.txt} by {@link ArgumentGrammar}.
 *
 * @param keySpecIndex the key spec this argument is a key of, or -1
 * @param token        the literal word that introduces the argument (or is the argument, for pure-token), or null
 * @param flags        {@link #OPTIONAL}, {@link #MULTIPLE}, {@link #MULTIPLE_TOKEN}
 */
public record Argument(String name, String type, int keySpecIndex, String token, String since,
                       String deprecatedSince, int flags, List<Argument> arguments) {
    public static final int OPTIONAL = 1, MULTIPLE = 2, MULTIPLE_TOKEN = 4;
    private static final String[] FLAG_NAMES = {"optional", "multiple", "multiple_token"};

    /** Writes the argument's map: name, type, key_spec_index, token, since, deprecated_since, flags, arguments. */
    void reply(Reply r) {
        boolean nested = type.equals("oneof") || type.equals("block");
        r.map(2 + (keySpecIndex >= 0 ? 1 : 0) + (token != null ? 1 : 0) + (since != null ? 1 : 0)
                + (deprecatedSince != null ? 1 : 0) + (flags != 0 ? 1 : 0) + (nested ? 1 : 0));
        r.bulk("name");
        r.bulk(name);
        r.bulk("type");
        r.bulk(type);
        if (keySpecIndex >= 0) {
            r.bulk("key_spec_index");
            r.integer(keySpecIndex);
        }
        if (token != null) {
            r.bulk("token");
            r.bulk(token);
        }
        if (since != null) {
            r.bulk("since");
            r.bulk(since);
        }
        if (deprecatedSince != null) {
            r.bulk("deprecated_since");
            r.bulk(deprecatedSince);
        }
        if (flags != 0) {
            r.bulk("flags");
            r.set(Integer.bitCount(flags));
            for (int i = 0; i < FLAG_NAMES.length; i++) if ((flags & (1 << i)) != 0) r.simple(FLAG_NAMES[i]);
        }
        if (nested) {
            r.bulk("arguments");
            replyAll(r, arguments);
        }
    }

    static void replyAll(Reply r, List<Argument> args) {
        r.array(args.size());
        for (Argument a : args) a.reply(r);
    }
}
