package io.kvasir.command;

/** The standard command table: every family Kvasir implements. */
public final class Commands {
    private Commands() {}

    public static CommandTable standard() {
        CommandTable t = new CommandTable();
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
                new ListCommands());
        return t;
    }
}
