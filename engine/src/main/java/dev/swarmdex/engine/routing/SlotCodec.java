package dev.swarmdex.engine.routing;

import java.io.ByteArrayOutputStream;

/**
 * Bytes for slot lists: unsigned LEB128 varints, and sorted slot numbers as the gaps between them
 * (a patch's few thousand slots spread over 2^18 take about two bytes each). Reading checks every
 * bound, since the bytes come from other directories.
 */
final class SlotCodec {
  private SlotCodec() {}

  static void writeVarint(ByteArrayOutputStream out, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative varint " + value);
    }
    while ((value & ~0x7fL) != 0) {
      out.write((int) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  /** Writes the count of {@code slots} (sorted, distinct), then the first and each gap. */
  static void writeSlots(ByteArrayOutputStream out, int[] slots, int count) {
    writeVarint(out, count);
    int previous = -1;
    for (int i = 0; i < count; i++) {
      writeVarint(out, slots[i] - previous - 1L);
      previous = slots[i];
    }
  }

  /** A cursor over bytes from elsewhere: every read checks that the bytes are there. */
  static final class Reader {
    private final byte[] bytes;
    private int at;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    int readByte() {
      if (at >= bytes.length) {
        throw new IllegalArgumentException("digest bytes end too soon");
      }
      return bytes[at++] & 0xff;
    }

    long readVarint() {
      long value = 0;
      for (int shift = 0; shift < 63; shift += 7) {
        int b = readByte();
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("digest varint too long");
    }

    /** Reads a slot list written by {@link #writeSlots}, each slot below {@code slots}. */
    int[] readSlots(int slots) {
      long count = readVarint();
      if (count > slots || count > remaining()) {
        throw new IllegalArgumentException("digest slot count " + count + " out of range");
      }
      int[] out = new int[(int) count];
      long previous = -1;
      for (int i = 0; i < count; i++) {
        long gap = readVarint();
        if (gap >= slots - previous - 1) { // checked before adding: a huge gap must not wrap
          throw new IllegalArgumentException("digest slot gap " + gap + " out of range");
        }
        long slot = previous + 1 + gap;
        if (slot >= slots) {
          throw new IllegalArgumentException("digest slot " + slot + " out of range");
        }
        out[i] = (int) slot;
        previous = slot;
      }
      return out;
    }

    byte[] readRest(int length) {
      if (remaining() != length) {
        throw new IllegalArgumentException(
            "digest table must be " + length + " bytes, not " + remaining());
      }
      byte[] out = java.util.Arrays.copyOfRange(bytes, at, bytes.length);
      at = bytes.length;
      return out;
    }

    int remaining() {
      return bytes.length - at;
    }

    void expectEnd() {
      if (at != bytes.length) {
        throw new IllegalArgumentException("digest has " + remaining() + " bytes too many");
      }
    }
  }
}
