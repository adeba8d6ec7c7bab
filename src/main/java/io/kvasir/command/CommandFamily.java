package io.kvasir.command;

/** A group of commands (strings, keys, server, ...) that adds its specs to the table. */
public interface CommandFamily {
    void register(CommandTable table);
}
