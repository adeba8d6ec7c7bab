package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;

import io.kvasir.protocol.Args;
import io.kvasir.store.Entry;
import io.kvasir.store.Table;
import io.kvasir.store.ValueType;

/** The string family: GET, SET and friends. */
final class StringCommands implements CommandFamily {

    @Override
    public void register(CommandTable t) {
        t.add(command("get", 2).flags("readonly fast").keys(1, 1, 1).acl("@string").group("string")
                .since("1.0.0").summary("Returns the string value of a key.").complexity("O(1)").handler(this::get));
        t.add(command("set", -3).flags("write denyoom").keys(1, 1, 1)
                .keySpec(KeySpec.index(1).flags("RW access update variable_flags")
                        .notes("RW and ACCESS due to the optional `GET` argument").actualFlags(StringCommands::setKeyFlags))
                .acl("@string").group("string")
                .since("1.0.0").summary("Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.")
                .complexity("O(1)")
                .history("2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options.")
                .history("6.0.0", "Added the `KEEPTTL` option.")
                .history("6.2.0", "Added the `GET`, `EXAT` and `PXAT` option.")
                .history("7.0.0", "Allowed the `NX` and `GET` options to be used together.")
                .handler(this::set));
    }

    /** SET reads the old value only with GET (an option, so after the value). */
    static int setKeyFlags(Args a) {
        for (int i = 3; i < a.count(); i++) {
            if (a.is(i, "GET")) return KeySpec.RW | KeySpec.ACCESS | KeySpec.UPDATE;
        }
        return KeySpec.OW | KeySpec.UPDATE;
    }

    void get(Call c) {
        Entry e = c.read(1);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        e.expect(ValueType.STRING).replyString(c.reply());
    }

    void set(Call c) {
        Args a = c.args();
        c.db().putString(a.buf(), a.off(1), a.len(1), a.buf(), a.off(2), a.len(2), Table.NO_EXPIRE, c.cursor());
        c.dirty(1);
        c.reply().ok();
    }
}
