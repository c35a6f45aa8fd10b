package dev.aperture.gateway.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's server: Netty NIO event loops for all socket I/O, a bounded worker pool for the Router's
 * blocking calls, and the state that graceful stop needs (calls in flight, open connections).
 */
public final class NettyGateway {
  private static final System.Logger LOG = System.getLogger(NettyGateway.class.getName());
  /** A stream pauses above this many unsent bytes and resumes below the low mark. */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

  private final GatewaySettings settings;
  final Calls calls;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger streams = new AtomicInteger();
  private final Object inFlightLock = new Object();
  private final AtomicLong rejectedConnections = new AtomicLong();
  private volatile boolean draining;
  private @Nullable EventLoopGroup group;
  private @Nullable WorkerPool workers;
  private @Nullable Channel serverChannel;
  private @Nullable ChannelGroup channels;
  private volatile boolean stopped;

  public NettyGateway(GatewaySettings settings) {
    this.settings = settings;
    this.calls = new Calls(this, settings);
  }

  public GatewaySettings settings() {
    return settings;
  }

  public synchronized void start() throws IOException {
    if (group != null) throw new IllegalStateException("already started");
    // Netty's default is two loops per core; the loops only move bytes here (workers do the rest), so
    // one per core is enough and leaves the cores to the workers.
    int ioThreads = settings.ioThreads() > 0 ? settings.ioThreads() : Runtime.getRuntime().availableProcessors();
    group = new MultiThreadIoEventLoopGroup(ioThreads,
        new DefaultThreadFactory("aperture-gateway-io", true), NioIoHandler.newFactory());
    workers = new WorkerPool(settings.workerThreads(), settings.maxQueuedCalls(), "aperture-gateway-worker");
    channels = new DefaultChannelGroup("aperture-gateway", GlobalEventExecutor.INSTANCE);
    HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
        .setMaxInitialLineLength(8192)
        .setMaxHeaderSize(settings.maxHeaderSize())
        .setMaxChunkSize(64 * 1024);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // A fixed kernel send buffer: with autotuning a client that reads nothing can park megabytes per
        // connection in the kernel (and make its stream pull them from the provider) before back-pressure
        // starts. 128 KiB is ample for a gateway that sits behind a proxy on the same host.
        .childOption(ChannelOption.SO_SNDBUF, 128 * 1024)
        // Reads are requested one request at a time: pipelined requests wait in the socket, not in memory.
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            if (connections.incrementAndGet() > settings.maxConnections() || stopped) {
              connections.decrementAndGet();
              rejectedConnections.incrementAndGet();
              channel.close();
              return;
            }
            channel.closeFuture().addListener(future -> connections.decrementAndGet());
            ChannelGroup group = channels;
            if (group != null) group.add(channel);
            ConnectionHandler handler = new ConnectionHandler(NettyGateway.this, settings);
            channel.pipeline()
                .addLast("bytes", handler.rawReadWatcher())
                .addLast("http", new HttpServerCodec(decoderConfig))
                .addLast("gateway", handler);
          }
        });
    io.netty.channel.ChannelFuture bound = bootstrap
        .bind(new InetSocketAddress(settings.bindAddress(), settings.port())).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownNow();
      group = null;
      Throwable cause = bound.cause();
      String where = settings.bindAddress().getHostAddress() + ":" + settings.port();
      if (cause instanceof BindException) {
        BindException bind = new BindException("cannot listen on " + where + ": " + cause.getMessage());
        bind.initCause(cause);
        throw bind;
      }
      throw new IOException("cannot listen on " + where + ": " + (cause != null ? cause.getMessage() : "unknown"), cause);
    }
    serverChannel = bound.channel();
  }

  public InetSocketAddress address() {
    Channel channel = serverChannel;
    if (channel == null) throw new IllegalStateException("not started");
    return (InetSocketAddress) channel.localAddress();
  }

  boolean isDraining() {
    return draining;
  }

  WorkerPool workers() {
    WorkerPool executor = workers;
    if (executor == null) throw new IllegalStateException("not started");
    return executor;
  }

  void callStarted() {
    inFlight.incrementAndGet();
  }

  void callFinished() {
    if (inFlight.decrementAndGet() == 0 && draining) {
      synchronized (inFlightLock) {
        inFlightLock.notifyAll();
      }
    }
  }

  public int callsInFlight() {
    return inFlight.get();
  }

  public boolean shutdown(Duration grace) {
    EventLoopGroup eventLoops;
    synchronized (this) {
      if (stopped || group == null) {
        stopped = true;
        return true;
      }
      eventLoops = group;
    }
    draining = true;
    ChannelGroup open = channels;
    // Idle connections go now; busy ones close after their response (they answer Connection: close).
    if (open != null) {
      for (Channel channel : open) channel.pipeline().fireUserEventTriggered(ConnectionHandler.DRAIN);
    }
    boolean finished = awaitCalls(grace);
    if (!finished) LOG.log(System.Logger.Level.WARNING, () -> inFlight.get() + " calls still in flight after "
        + grace.toMillis() + " ms; closing their connections");
    synchronized (this) {
      stopped = true;
    }
    Channel listener = serverChannel;
    if (listener != null) listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (open != null) open.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    WorkerPool executor = workers;
    if (executor != null) executor.shutdownNow();
    eventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    return finished;
  }

  private boolean awaitCalls(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (inFlightLock) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        try {
          TimeUnit.NANOSECONDS.timedWait(inFlightLock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return inFlight.get() == 0;
        }
      }
    }
    return true;
  }

  @Override
  public String toString() {
    Channel channel = serverChannel;
    return (channel != null ? "listening on " + channel.localAddress() : "not started")
        + ", " + connections.get() + " connections, " + inFlight.get() + " calls in flight"
        + (draining ? ", stopping" : "");
  }
}
