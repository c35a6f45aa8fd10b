package dev.aperture.gateway.internal;

import dev.aperture.ApertureException;
import dev.aperture.ChatChunk;
import dev.aperture.ChatStream;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves a {@link ChatStream} to the client with back-pressure. On a worker it pulls a chunk (blocking on
 * the upstream), writes it, and pulls the next only while the connection is writable. When the client
 * does not keep up the pump parks — it returns its thread and pulls nothing, so the upstream connection
 * stops being read and pauses too — and resumes on a worker when the connection drains. A client that
 * stays unwritable for the write-stall timeout has its connection closed, which cancels the stream.
 */
final class StreamPump implements Runnable {
  private static final System.Logger LOG = System.getLogger(StreamPump.class.getName());

  /** Chunks written in one turn on a worker before the stream queues itself behind other work. */
  private static final int CHUNKS_PER_TURN = 16;

  private final Exchange exchange;
  private final Channel channel;
  private final ChatStream stream;
  private final Executor workers;
  private final Duration writeStallTimeout;
  private final GatewaySettings settings;
  private final Runnable onEnd;
  private final AtomicBoolean parked = new AtomicBoolean();
  private final AtomicLong parkings = new AtomicLong();
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile boolean done;
  private Iterator<ChatChunk> chunks;

  StreamPump(Exchange exchange, ChatStream stream, Executor workers, GatewaySettings settings, Runnable onEnd) {
    this.exchange = exchange;
    this.channel = exchange.channel();
    this.stream = stream;
    this.workers = workers;
    this.writeStallTimeout = settings.writeStallTimeout();
    this.settings = settings;
    this.onEnd = onEnd;
    this.chunks = stream.iterator();
  }

  /** Pumps until the stream ends or the connection cannot take more; on a worker thread. */
  @Override
  public void run() {
    try {
      for (int turn = 0; !done; turn++) {
        if (turn == CHUNKS_PER_TURN && yieldWorker()) return;
        if (!channel.isWritable()) {
          if (!channel.isActive()) {
            cancel();
            return;
          }
          park();
          // The connection may have drained between the check and parking: then go on here.
          if (channel.isWritable() && parked.compareAndSet(true, false)) continue;
          return;
        }
        ChatChunk chunk;
        try {
          if (!chunks.hasNext()) {
            end("[DONE]");
            return;
          }
          chunk = chunks.next();
        } catch (ApertureException e) {
          // StreamException included: the status is already 200, so the client learns of it from an event.
          if (!done) end(GatewayError.of(e).redacted(settings.redactor()).toJson());
          return;
        } catch (RuntimeException e) {
          if (!done) {
            LOG.log(System.Logger.Level.WARNING, "stream failed in the gateway", e);
            end(GatewayError.internal().toJson());
          }
          return;
        }
        if (done) return;
        exchange.writeEvent(Wire.chunkEvent(chunk, channel.alloc()));
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "stream pump failed", e);
      channel.close();
    }
  }

  /**
   * Gives the worker to whatever queued behind this stream, and continues after it. A stream whose
   * upstream is as fast as memory must not keep a plain call waiting for a worker.
   */
  private boolean yieldWorker() {
    try {
      workers.execute(this);
      return true;
    } catch (RejectedExecutionException e) {
      return false; // Nothing can take it: go on here.
    }
  }

  private void park() {
    parked.set(true);
    long parking = parkings.incrementAndGet();
    channel.eventLoop().schedule(() -> {
      if (parked.get() && parkings.get() == parking && !done) {
        LOG.log(System.Logger.Level.DEBUG, () -> "client read nothing for " + writeStallTimeout.toMillis()
            + " ms; cancelling its stream");
        channel.close(); // channelInactive → Exchange.abort → cancel()
      }
    }, writeStallTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** From the event loop: resume on a worker once the connection can take more. */
  void writabilityChanged() {
    if (channel.isWritable() && parked.compareAndSet(true, false) && !done) {
      try {
        workers.execute(this);
      } catch (RejectedExecutionException e) {
        LOG.log(System.Logger.Level.DEBUG, "no worker to resume a stream; closing it");
        channel.close();
      }
    }
  }

  private void end(String lastData) {
    done = true;
    exchange.endStream(Wire.dataEvent(lastData, channel.alloc()));
    release();
  }

  /** Stops pumping and cancels the stream upstream; from any thread, any number of times. */
  void cancel() {
    done = true;
    release();
  }

  private void release() {
    if (released.compareAndSet(false, true)) {
      if (channel.eventLoop().inEventLoop()) {
        // Closing settles the call's quota, which may be a round trip to a shared store (Redis): never on
        // the event loop, which serves every other connection.
        try {
          workers.execute(this::closeStream);
        } catch (java.util.concurrent.RejectedExecutionException full) {
          java.util.concurrent.CompletableFuture.runAsync(this::closeStream);
        }
      } else {
        closeStream();
      }
    }
  }

  private void closeStream() {
    try {
      stream.close();
    } finally {
      onEnd.run();
    }
  }
}
