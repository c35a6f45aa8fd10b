package dev.aperture.redis.internal;

import dev.aperture.QuotaStore.Reservation;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Charges that could not reach Redis, in the order they happened, until they are replayed. Bounded:
 * once {@link #isFull} the store admits no call it cannot check, so the journal holds at most its
 * capacity plus the calls that were already in flight. Thread-safe.
 */
public final class ChargeJournal {
  /** One settle to replay. */
  public record Entry(Reservation reservation, long actualNanos) {
  }

  private final ConcurrentLinkedDeque<Entry> entries = new ConcurrentLinkedDeque<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong nanos = new AtomicLong();
  private final int capacity;

  public ChargeJournal(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("journal capacity < 1");
    this.capacity = capacity;
  }

  /** Keeps a charge; returns the number kept now. */
  public int add(Entry entry) {
    entries.addLast(entry);
    nanos.addAndGet(entry.actualNanos());
    return size.incrementAndGet();
  }

  /** The oldest charge, removed, or null. */
  public @Nullable Entry poll() {
    Entry entry = entries.pollFirst();
    if (entry != null) {
      size.decrementAndGet();
      nanos.addAndGet(-entry.actualNanos());
    }
    return entry;
  }

  /** Puts back a charge that {@link #poll} took and that could not be replayed. */
  public void putBack(Entry entry) {
    entries.addFirst(entry);
    nanos.addAndGet(entry.actualNanos());
    size.incrementAndGet();
  }

  public int size() {
    return size.get();
  }

  /** The sum of the charges kept, in nanodollars. */
  public long nanos() {
    return nanos.get();
  }

  public boolean isFull() {
    return size.get() >= capacity;
  }

  public int capacity() {
    return capacity;
  }
}
