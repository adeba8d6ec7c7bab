package io.kvasir.command;

/** The implementation of one command: reads its arguments from the call and writes its reply. */
@FunctionalInterface
public interface Handler {
    void run(Call call);
}
