package dev.aperture.gateway.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One client connection, on its event loop: reads one request at a time (auto-read is off, so a request
 * is read only when the previous response is done), enforces the per-connection time limits with one
 * timer at a time, gathers the body up to the size limit, and hands the complete request to {@link Calls}.
 *
 * <p>States and their timer: IDLE (idle timeout) → first byte → READING (request timeout) → complete
 * request → RESPONDING (response timeout) → response written → IDLE. An oversized body is answered at
 * once and the rest read and dropped (DISCARDING, still under the request timeout) so that the client
 * reads the answer rather than a reset.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(ConnectionHandler.class.getName());
  /** A user event: the server is stopping. */
  static final Object DRAIN = new Object();
  /** Past the body limit, up to this many bytes are still read (and dropped) so the client sees the answer. */
  private static final long MAX_DRAIN = 64L * 1024 * 1024;

  private enum State { IDLE, READING, DISCARDING, RESPONDING, CLOSED }

  private final NettyGateway server;
  private final GatewaySettings settings;
  private @Nullable ChannelHandlerContext ctx;
  private State state = State.IDLE;
  private @Nullable ScheduledFuture<?> timer;
  private @Nullable HttpRequest request;
  private @Nullable CompositeByteBuf body;
  private long discarded;
  private io.netty.channel.@Nullable ChannelFuture refusal;
  private boolean draining;
  /** Requests a client pipelined behind the one being answered: at most one socket read's worth. */
  private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
  private @Nullable Exchange exchange;

  ConnectionHandler(NettyGateway server, GatewaySettings settings) {
    this.server = server;
    this.settings = settings;
  }

  /** Sits before the HTTP codec: the first raw bytes of a request start its time limit. */
  ChannelHandler rawReadWatcher() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.IDLE) startReading();
        ctx.fireChannelRead(msg);
      }
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    schedule(settings.idleTimeout(), this::onIdleTimeout);
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.CLOSED) {
      ReferenceCountUtil.release(msg);
    } else if (state == State.RESPONDING) {
      pipelined.add(msg);
    } else {
      process(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (wantsInput()) ctx.read();
  }

  private boolean wantsInput() {
    return state == State.IDLE || state == State.READING || state == State.DISCARDING;
  }

  private void process(Object msg) {
    try {
      if (msg instanceof HttpRequest head) {
        onRequestHead(head);
        if (state != State.READING) return; // Refused: ignore any content that came with it.
      }
      if (msg instanceof HttpContent content) onContent(content);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void startReading() {
    state = State.READING;
    schedule(settings.requestTimeout(), this::onRequestTimeout);
  }

  private void onRequestHead(HttpRequest head) {
    if (state == State.IDLE) startReading(); // A pipelined request: its bytes were read earlier.
    if (head.decoderResult().isFailure()) {
      Throwable cause = head.decoderResult().cause();
      GatewayError error;
      if (cause instanceof TooLongHttpHeaderException) {
        error = new GatewayError(431, "invalid_request_error", "headers_too_large",
            "the request headers are larger than the gateway's limit of " + settings.maxHeaderSize() + " bytes", null);
      } else if (cause instanceof TooLongHttpLineException) {
        error = new GatewayError(414, "invalid_request_error", "uri_too_long", "the request line is too long", null);
      } else {
        error = GatewayError.badRequest("malformed_request", "malformed HTTP request");
      }
      refuseAndClose(error, head.protocolVersion());
      return;
    }
    request = head;
    discarded = 0;
    long declared = HttpUtil.getContentLength(head, -1L);
    if (declared > settings.maxBodySize()) {
      // A client waiting for 100 Continue sends no body: nothing to drain, close after the answer.
      tooLarge(head.protocolVersion(), declared > MAX_DRAIN || HttpUtil.is100ContinueExpected(head));
      return;
    }
    if (HttpUtil.is100ContinueExpected(head)) {
      ctx().writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
          Unpooled.EMPTY_BUFFER));
    }
    body = ctx().alloc().compositeBuffer(Integer.MAX_VALUE);
  }

  private void onContent(HttpContent content) {
    if (state == State.DISCARDING) {
      discarded += content.content().readableBytes();
      if (content instanceof LastHttpContent || discarded > MAX_DRAIN) {
        // Close once the answer is out, not before: closing drops unsent bytes.
        state = State.CLOSED;
        cancelTimer();
        io.netty.channel.ChannelFuture answer = refusal;
        if (answer != null) answer.addListener(future -> close());
        else close();
      }
      return;
    }
    CompositeByteBuf gathered = body;
    if (state != State.READING || gathered == null) return;
    ByteBuf bytes = content.content();
    int n = bytes.readableBytes();
    if ((long) gathered.readableBytes() + n > settings.maxBodySize()) {
      tooLarge(request != null ? request.protocolVersion() : HttpVersion.HTTP_1_1, false);
      return;
    }
    if (n > 0) gathered.addComponent(true, bytes.retain());
    if (content instanceof LastHttpContent) requestComplete();
  }

  private void tooLarge(HttpVersion version, boolean closeNow) {
    releaseBody();
    GatewayError error = GatewayError.badRequest("request_too_large",
        "the request body is larger than the gateway's limit of " + settings.maxBodySize() + " bytes");
    if (closeNow) {
      refuseAndClose(error, version);
      return;
    }
    // Answer now, then keep reading and dropping the rest (bounded by MAX_DRAIN and the request timeout).
    state = State.DISCARDING;
    refusal = ctx().writeAndFlush(Exchange.errorResponse(error.redacted(settings.redactor()), version, false, ctx().alloc()));
  }

  private void requestComplete() {
    HttpRequest head = request;
    CompositeByteBuf gathered = body;
    request = null;
    body = null;
    if (head == null || gathered == null) throw new IllegalStateException("no request");
    state = State.RESPONDING;
    schedule(settings.responseTimeout(), this::onResponseTimeout);
    boolean keepAlive = HttpUtil.isKeepAlive(head) && !draining && !server.isDraining();
    Exchange current = new Exchange(this, ctx().channel(), head.protocolVersion(), keepAlive, settings, server);
    exchange = current;
    server.callStarted();
    server.calls.dispatch(current, head, gathered);
  }

  /** Called on the event loop once an exchange's response is fully written, or failed to be. */
  void responseDone(Exchange done, boolean close) {
    if (done != exchange) return;
    exchange = null;
    done.finish();
    if (close || draining || server.isDraining() || state == State.CLOSED) {
      close();
      return;
    }
    state = State.IDLE;
    schedule(settings.idleTimeout(), this::onIdleTimeout);
    while (!pipelined.isEmpty() && wantsInput()) process(pipelined.poll());
    if (wantsInput() && ctx != null) ctx.read();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Exchange current = exchange;
    if (current != null) current.writabilityChanged();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == DRAIN) {
      draining = true;
      if (state == State.IDLE) close();
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    state = State.CLOSED;
    cancelTimer();
    releaseBody();
    for (Object msg; (msg = pipelined.poll()) != null; ) ReferenceCountUtil.release(msg);
    Exchange current = exchange;
    exchange = null;
    if (current != null) current.abort();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and broken pipes from clients that went away are routine.
    LOG.log(System.Logger.Level.DEBUG, "connection failed", cause);
    close();
  }

  private void onIdleTimeout() {
    if (state == State.IDLE) close();
  }

  private void onRequestTimeout() {
    if (state == State.READING) {
      releaseBody();
      refuseAndClose(new GatewayError(408, "invalid_request_error", "request_timeout",
          "the request was not received within " + seconds(settings.requestTimeout()), null),
          request != null ? request.protocolVersion() : HttpVersion.HTTP_1_1);
    } else if (state == State.DISCARDING) {
      close();
    }
  }

  private void onResponseTimeout() {
    Exchange current = exchange;
    if (state == State.RESPONDING && current != null) {
      current.timedOut(new GatewayError(504, "upstream_error", "gateway_timeout",
          "the response took longer than the gateway's limit of " + seconds(settings.responseTimeout()), null));
    }
  }

  private static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /** Answers {@code error} with {@code Connection: close}, then closes; reads nothing more. */
  private void refuseAndClose(GatewayError error, HttpVersion version) {
    state = State.CLOSED;
    cancelTimer();
    ChannelHandlerContext context = ctx();
    context.writeAndFlush(Exchange.errorResponse(error.redacted(settings.redactor()), version, false, context.alloc()))
        .addListener(future -> context.close());
  }

  private void close() {
    state = State.CLOSED;
    cancelTimer();
    if (ctx != null) ctx.close();
  }

  private void releaseBody() {
    CompositeByteBuf gathered = body;
    body = null;
    if (gathered != null) gathered.release();
  }

  private void schedule(Duration delay, Runnable task) {
    cancelTimer();
    timer = ctx().executor().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void cancelTimer() {
    ScheduledFuture<?> current = timer;
    timer = null;
    if (current != null) current.cancel(false);
  }

  private ChannelHandlerContext ctx() {
    ChannelHandlerContext context = ctx;
    if (context == null) throw new IllegalStateException("not added to a pipeline");
    return context;
  }
}
