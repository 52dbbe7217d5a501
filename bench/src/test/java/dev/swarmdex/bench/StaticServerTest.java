package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StaticServerTest {
  @Test
  void everyDocumentedContentParses() {
    assertEquals(StaticServer.Content.MAPPED, StaticServer.Content.parse("mapped"));
    assertEquals(StaticServer.Content.POOLED, StaticServer.Content.parse("pooled"));
    assertEquals(StaticServer.Content.PLAIN, StaticServer.Content.parse("plain"));
    assertEquals(StaticServer.Content.PLAIN_SIZED, StaticServer.Content.parse("plain-sized"));
    assertThrows(IllegalArgumentException.class, () -> StaticServer.Content.parse("sendfile"));
  }
}
