package dev.aperture.gateway.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One request's response, written from whichever thread has it (a worker, or the event loop for a
 * timeout): the first to {@link #commit} wins, so a late worker result after a 504 is dropped. Its end
 * is reported to the connection on the event loop, where the next request is then read.
 */
final class Exchange {
  private static final System.Logger LOG = System.getLogger(Exchange.class.getName());

  private final ConnectionHandler connection;
  private final Channel channel;
  private final HttpVersion version;
  private final boolean keepAlive;
  private final GatewaySettings settings;
  private final NettyGateway server;
  private final AtomicBoolean committed = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile @Nullable StreamPump pump;

  Exchange(ConnectionHandler connection, Channel channel, HttpVersion version, boolean keepAlive,
      GatewaySettings settings, NettyGateway server) {
    this.connection = connection;
    this.channel = channel;
    this.version = version;
    this.keepAlive = keepAlive;
    this.settings = settings;
    this.server = server;
  }

  Channel channel() {
    return channel;
  }

  ByteBufAllocator alloc() {
    return channel.alloc();
  }

  /** Sends a complete response; returns false (and releases {@code body}) if one was already sent. */
  boolean send(HttpResponseStatus status, ByteBuf body, CharSequence contentType, @Nullable String provider) {
    if (stopped() || !committed.compareAndSet(false, true)) {
      body.release();
      return false;
    }
    FullHttpResponse response = new DefaultFullHttpResponse(version, status, body);
    HttpHeaders headers = response.headers();
    headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    headers.set(HttpHeaderNames.DATE, HttpDate.now());
    if (provider != null) headers.set("X-Aperture-Provider", provider);
    HttpUtil.setKeepAlive(response, keepAlive);
    channel.writeAndFlush(response).addListener(future ->
        connection.responseDone(this, !keepAlive || !future.isSuccess()));
    return true;
  }

  /** Sends {@code error}, redacted, with its {@code Retry-After}. */
  boolean sendError(GatewayError error) {
    return sendError(error, null, null);
  }

  /** Sends {@code error} with one more header, such as {@code Allow}. */
  boolean sendError(GatewayError error, @Nullable String header, @Nullable String value) {
    if (committed.get() || stopped()) return false;
    FullHttpResponse response = errorResponse(error.redacted(settings.redactor()), version, keepAlive, alloc());
    if (header != null && value != null) response.headers().set(header, value);
    if (!committed.compareAndSet(false, true)) {
      response.release();
      return false;
    }
    channel.writeAndFlush(response).addListener(future ->
        connection.responseDone(this, !keepAlive || !future.isSuccess()));
    return true;
  }

  static FullHttpResponse errorResponse(GatewayError error, HttpVersion version, boolean keepAlive,
      ByteBufAllocator alloc) {
    ByteBuf body = Wire.json(error.body(), alloc);
    FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(error.status()), body);
    HttpHeaders headers = response.headers();
    headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    headers.set(HttpHeaderNames.DATE, HttpDate.now());
    String retryAfter = error.retryAfterHeader();
    if (retryAfter != null) headers.set(HttpHeaderNames.RETRY_AFTER, retryAfter);
    HttpUtil.setKeepAlive(response, keepAlive);
    return response;
  }

  /** Starts an SSE response driven by {@code pump}; false if a response was already sent. */
  boolean startStream(StreamPump pump, String provider) {
    if (!committed.compareAndSet(false, true)) return false;
    this.pump = pump;
    HttpResponse response = new DefaultHttpResponse(version, HttpResponseStatus.OK);
    HttpHeaders headers = response.headers();
    headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_EVENT_STREAM);
    headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
    headers.set(HttpHeaderNames.DATE, HttpDate.now());
    headers.set("X-Aperture-Provider", provider);
    HttpUtil.setTransferEncodingChunked(response, true);
    HttpUtil.setKeepAlive(response, keepAlive);
    // Flushed at once: clients see the status and headers before the first chunk.
    channel.writeAndFlush(response);
    return true;
  }

  /** The server stopped under this exchange (a worker finishing late): nothing more can be written. */
  private boolean stopped() {
    return channel.eventLoop().isShuttingDown();
  }

  /** One SSE event of a started stream. */
  void writeEvent(ByteBuf event) {
    if (stopped()) {
      event.release();
      return;
    }
    channel.writeAndFlush(new DefaultHttpContent(event));
  }

  /** The stream's last event, then the end of the response. */
  void endStream(ByteBuf lastEvent) {
    channel.write(new DefaultHttpContent(lastEvent));
    channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(future ->
        connection.responseDone(this, !keepAlive || !future.isSuccess()));
  }

  /** From the event loop: the client can take more bytes again, or could not. */
  void writabilityChanged() {
    StreamPump current = pump;
    if (current != null) current.writabilityChanged();
  }

  /** The response timeout ran out: a 504 if nothing was sent yet, else the connection is cut. */
  void timedOut(GatewayError error) {
    if (!sendError(error)) {
      LOG.log(System.Logger.Level.DEBUG, "response timeout; closing the connection");
      channel.close();
    }
  }

  /** The connection closed before the response was done: stop the stream (cancelling it upstream). */
  void abort() {
    committed.set(true);
    StreamPump current = pump;
    if (current != null) current.cancel();
    finish();
  }

  /** Counts the call as done exactly once. */
  void finish() {
    if (finished.compareAndSet(false, true)) server.callFinished();
  }
}
