package dev.aperture.internal;

import dev.aperture.AccessDecision;
import dev.aperture.ApertureException;
import dev.aperture.AttemptOutcome;
import dev.aperture.Call;
import dev.aperture.ChatResponse;
import dev.aperture.EventListener;
import dev.aperture.QuotaExceededException;
import dev.aperture.Route;
import java.util.List;

/** Several listeners as one, each told every event in the order they were registered. */
final class CompositeEventListener extends EventListener {
  private final List<EventListener> listeners;

  CompositeEventListener(List<EventListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void callStart(Call call) {
    for (EventListener l : listeners) l.callStart(call);
  }

  @Override
  public void routeChosen(Call call, List<Route> routes, AccessDecision decision) {
    for (EventListener l : listeners) l.routeChosen(call, routes, decision);
  }

  @Override
  public void hookBlocked(Call call, String hook, int statusCode, String message) {
    for (EventListener l : listeners) l.hookBlocked(call, hook, statusCode, message);
  }

  @Override
  public void hookFailed(Call call, String hook, boolean failOpen, ApertureException failure) {
    for (EventListener l : listeners) l.hookFailed(call, hook, failOpen, failure);
  }

  @Override
  public void quotaRejected(Call call, QuotaExceededException refusal) {
    for (EventListener l : listeners) l.quotaRejected(call, refusal);
  }

  @Override
  public void attemptStart(Call call, Route route, int attempt) {
    for (EventListener l : listeners) l.attemptStart(call, route, attempt);
  }

  @Override
  public void attemptEnd(Call call, Route route, int attempt) {
    for (EventListener l : listeners) l.attemptEnd(call, route, attempt);
  }

  @Override
  public void attemptFailed(Call call, Route route, int attempt, ApertureException failure, AttemptOutcome outcome) {
    for (EventListener l : listeners) l.attemptFailed(call, route, attempt, failure, outcome);
  }

  @Override
  public void firstChunk(Call call, Route route) {
    for (EventListener l : listeners) l.firstChunk(call, route);
  }

  @Override
  public void callEnd(Call call, ChatResponse response, long costNanos) {
    for (EventListener l : listeners) l.callEnd(call, response, costNanos);
  }

  @Override
  public void callFailed(Call call, ApertureException failure) {
    for (EventListener l : listeners) l.callFailed(call, failure);
  }
}
