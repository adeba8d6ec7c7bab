package io.kvasir.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A socket that sends raw bytes and reads back whole RESP replies as raw bytes. */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(5000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** The port of this end of the connection: the server sees us as 127.0.0.1:localPort. */
    public int localPort() {
        return socket.getLocalPort();
    }

    public void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends a command as a RESP multibulk. */
    public void command(String... args) throws IOException {
        send(encode(args));
    }

    public static byte[] encode(String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        return encode(b);
    }

    /** A RESP multibulk of raw arguments. */
    public static byte[] encode(byte[]... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] head = ("*" + args.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        b.writeBytes(head);
        for (byte[] v : args) {
            b.writeBytes(("$" + v.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            b.writeBytes(v);
            b.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        return b.toByteArray();
    }

    /** Sends a command and returns its whole reply as text (ISO-8859-1, byte for byte). */
    public String call(String... args) throws IOException {
        command(args);
        return readReply();
    }

    /** Reads one complete RESP2/RESP3 reply; throws EOFException if the server closed. */
    public String readReply() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        readValue(b);
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** True if the server closed the connection (reads until EOF or a short timeout). */
    public boolean closedByServer(int waitMillis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(waitMillis);
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        } finally {
            if (!socket.isClosed()) socket.setSoTimeout(old);
        }
    }

    private void readValue(ByteArrayOutputStream b) throws IOException {
        String line = readLine(b);
        char type = line.charAt(0);
        switch (type) {
            case '+', '-', ':', ',', '_', '#', '(' -> { }
            case '$', '=', '!' -> {
                long n = Long.parseLong(line.substring(1));
                if (n >= 0) {
                    for (long i = 0; i < n + 2; i++) b.write(readByte());
                }
            }
            case '*', '~', '>' -> {
                long n = Long.parseLong(line.substring(1));
                for (long i = 0; i < n; i++) readValue(b);
            }
            case '%', '|' -> {
                long n = Long.parseLong(line.substring(1));
                for (long i = 0; i < 2 * n; i++) readValue(b);
                if (type == '|') readValue(b); // an attribute precedes the actual reply
            }
            default -> throw new IOException("not a RESP reply: " + line);
        }
    }

    private String readLine(ByteArrayOutputStream b) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = readByte();
            b.write(c);
            if (c == '\r') {
                int n = readByte();
                b.write(n);
                if (n == '\n') return sb.toString();
                sb.append('\r').append((char) n);
            } else {
                sb.append((char) c);
            }
        }
    }

    private int readByte() throws IOException {
        int c = in.read();
        if (c < 0) throw new EOFException("connection closed by server");
        return c;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
