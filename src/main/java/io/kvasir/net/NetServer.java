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
    private volatile int port;

    public NetServer(Kvasir server) {
        this.server = server;
    }

    public int port() { return port; }

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
                        ch.pipeline().addLast(new Connection(server));
                    }
                });
        int wanted = server.config().getInt("port");
        for (String host : bindAddresses()) {
            boolean optional = host.startsWith("-");
            String h = optional ? host.substring(1) : host;
            String bindHost = h.equals("*") ? "0.0.0.0" : h.equals("::*") ? "::" : h;
            try {
                Channel ch = b.bind(new InetSocketAddress(bindHost, port != 0 ? port : wanted)).sync().channel();
                listeners.add(ch);
                if (port == 0) port = ((InetSocketAddress) ch.localAddress()).getPort();
            } catch (Exception e) {
                if (optional) continue;
                stop();
                throw new IllegalStateException("Could not create server TCP listening socket " + h + ":" + wanted + ": " + e.getMessage(), e);
            }
        }
        log.info("Server initialized, {} event loops ({})", threads(), nativeTransport() ? "epoll" : "nio");
    }

    private List<String> bindAddresses() {
        List<String> out = new ArrayList<>();
        for (String s : server.config().get("bind").trim().split("\\s+")) if (!s.isEmpty()) out.add(s);
        return out;
    }

    public void stop() {
        for (Channel ch : listeners) ch.close().syncUninterruptibly();
        listeners.clear();
        if (boss != null) boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        if (workers != null) workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
