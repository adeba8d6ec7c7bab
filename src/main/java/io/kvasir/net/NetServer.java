package io.kvasir.net;

import io.kvasir.server.Kvasir;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP listener: Netty with native epoll where available (NIO otherwise). Commands run on the
 * event-loop thread that read them; there is no hand-off to a worker pool.
 */
public final class NetServer {
    private static final Logger log = LoggerFactory.getLogger(NetServer.class);

    private final Kvasir server;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private final List<Channel> listeners = new ArrayList<>();
    private ServerBootstrap bootstrap;
    private int boundPort;      // the port and bind directives the listeners were opened for
    private String boundBind;
    private volatile int port;

    public NetServer(Kvasir server) {
        this.server = server;
    }

    public int port() { return port; }

    /** True once {@link #start()} has bound the listening sockets. */
    public boolean listening() { return bootstrap != null; }

    /** Event-loop threads: io-threads when set above 1, else one per core. */
    public int threads() {
        int configured = server.config().getInt("io-threads");
        return configured > 1 ? configured : Runtime.getRuntime().availableProcessors();
    }

    public boolean nativeTransport() { return Epoll.isAvailable(); }

    public void start() throws InterruptedException {
        IoHandlerFactory io = nativeTransport() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType =
                nativeTransport() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        boss = new MultiThreadIoEventLoopGroup(1, io);
        workers = new MultiThreadIoEventLoopGroup(threads(), io);
        LoopOutbox.Group outboxes = LoopOutbox.Group.of(workers);
        server.pubsub().broadcast(outboxes);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, server.config().getInt("tcp-backlog"))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Connection(server, outboxes));
                    }
                });
        bootstrap = b;
        try {
            listeners.addAll(listen(server.config().getInt("port"), server.config().get("bind")));
        } catch (IllegalStateException e) {
            stop();
            throw e;
        }
        log.info("Server initialized, {} event loops ({})", threads(), nativeTransport() ? "epoll" : "nio");
    }

    /** Binds every address of {@code bind} on {@code wanted} (0 = any free port); sets {@link #port}. */
    private List<Channel> listen(int wanted, String bind) {
        List<Channel> bound = new ArrayList<>();
        int chosen = wanted;
        for (String host : bind.trim().split("\\s+")) {
            if (host.isEmpty()) continue;
            boolean optional = host.startsWith("-");
            String h = optional ? host.substring(1) : host;
            String bindHost = h.equals("*") ? "0.0.0.0" : h.equals("::*") ? "::" : h;
            try {
                Channel ch = bootstrap.bind(new InetSocketAddress(bindHost, chosen)).sync().channel();
                bound.add(ch);
                if (chosen == 0) chosen = ((InetSocketAddress) ch.localAddress()).getPort();
            } catch (Exception e) {
                if (optional) continue;
                for (Channel ch : bound) ch.close().syncUninterruptibly();
                throw new IllegalStateException("Could not create server TCP listening socket " + h + ":" + wanted + ": " + e.getMessage(), e);
            }
        }
        port = chosen;
        boundPort = wanted;
        boundBind = bind;
        return bound;
    }

    /**
     * Listens again after CONFIG SET port or bind. Connected clients stay. If the new addresses
     * cannot be bound, the old ones are bound again and the failure is thrown.
     */
    public synchronized void rebind() {
        int wanted = server.config().getInt("port");
        String bind = server.config().get("bind");
        if (wanted == boundPort && bind.equals(boundBind)) return;
        int oldPort = port, oldWanted = boundPort;
        String oldBind = boundBind;
        for (Channel ch : listeners) ch.close().syncUninterruptibly();
        listeners.clear();
        try {
            listeners.addAll(listen(wanted, bind));
        } catch (IllegalStateException e) {
            listeners.addAll(listen(oldWanted == 0 ? oldPort : oldWanted, oldBind));
            throw e;
        }
        if (port != oldPort) log.info("Listening on port {}", port);
    }


    public void stop() {
        for (Channel ch : listeners) ch.close().syncUninterruptibly();
        listeners.clear();
        if (boss != null) boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        if (workers != null) workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
