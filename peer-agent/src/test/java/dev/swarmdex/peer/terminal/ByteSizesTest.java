package dev.swarmdex.peer.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ByteSizesTest {
  @Test
  void sizesReadTheWayPeopleReadThem() {
    assertEquals("0 B", ByteSizes.format(0));
    assertEquals("1023 B", ByteSizes.format(1023));
    assertEquals("1.0 KiB", ByteSizes.format(1024));
    assertEquals("4.0 MiB", ByteSizes.format(4 * 1024 * 1024));
    assertEquals("1.5 GiB", ByteSizes.format(3L << 29));
    assertEquals("1024.0 PiB", ByteSizes.format(1L << 60));
  }
}
