package dev.enroll.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The embedded database's file in Micrometer: {@code enroll_store_file_bytes} (its size) and
 * {@code enroll_store_file_live_ratio} (the share of it that live data holds; the rest is
 * dead chunks waiting to be reused and free space). PostgreSQL reports its own.
 */
public final class MicrometerStoreMetrics {
  private MicrometerStoreMetrics() {}

  /**
   * Registers the file's gauges, read when scraped. The gauges hold the suppliers (a
   * gauge's usual weak reference would let a method reference be collected, leaving NaN).
   *
   * @param registry the registry
   * @param bytes the file's size, in bytes
   * @param liveRatio the share of the file live data holds, 0 to 1
   */
  public static void register(MeterRegistry registry, LongSupplier bytes,
      DoubleSupplier liveRatio) {
    Gauge.builder("enroll_store_file_bytes", bytes, LongSupplier::getAsLong)
        .description("Size of the embedded database file")
        .baseUnit("bytes")
        .strongReference(true)
        .register(registry);
    Gauge.builder("enroll_store_file_live_ratio", liveRatio, DoubleSupplier::getAsDouble)
        .description("Share of the embedded database file that live data holds")
        .strongReference(true)
        .register(registry);
  }
}
