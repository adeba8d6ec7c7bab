package io.kvasir.command;

import java.util.Locale;

/** The reply of a container's HELP subcommand (CONFIG HELP, COMMAND HELP...), framed as Redis frames it. */
final class Help {
    private Help() {}

    /** A usage line, the given lines, then HELP itself; each line a status reply. */
    static void reply(Call c, String... lines) {
        String container = c.spec().parent() != null ? c.spec().parent().name() : c.spec().name();
        c.reply().array(lines.length + 3);
        c.reply().simple(container.toUpperCase(Locale.ROOT) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) c.reply().simple(line);
        c.reply().simple("HELP");
        c.reply().simple("    Prints this help.");
    }
}
