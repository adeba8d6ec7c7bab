package io.kvasir.command;

import io.kvasir.metrics.Counters;

/** The standard command table: every family Kvasir implements. */
public final class Commands {
    private Commands() {}

    public static CommandTable standard() { return standard(new Counters()); }

    /** The standard table, counting its calls in {@code counters}. */
    public static CommandTable standard(Counters counters) {
        CommandTable t = new CommandTable(counters);
        t.addAll(
                new CommandCommands(),
                new ConnectionCommands(),
                new ClientCommands(),
                new StringCommands(),
                new KeyCommands(),
                new ServerCommands(),
                new ConfigCommands(),
                new HashCommands(),
                new SetCommands(),
                new SortedSetCommands(),
                new ListCommands(),
                new SortCommands(),
                new PubSubCommands(),
                new TransactionCommands());
        return t;
    }
}
