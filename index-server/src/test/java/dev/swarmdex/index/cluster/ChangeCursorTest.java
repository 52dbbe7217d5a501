package dev.swarmdex.index.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChangeCursorTest {
  @Test
  void aRowCommittedAfterAHigherOneIsStillTakenOnce() {
    ChangeCursor cursor = new ChangeCursor(5, 10_000);
    assertEquals(5, cursor.readAfter(0));
    assertTrue(cursor.take(7, 0), "7 is new; 6 was skipped over");
    assertEquals(5, cursor.readAfter(100), "read again from below the skipped 6");
    assertFalse(cursor.take(7, 100), "7 was applied already");
    assertTrue(cursor.take(6, 100), "6 committed late: applied now");
    assertFalse(cursor.take(6, 200), "and only once");
    assertEquals(7, cursor.readAfter(200), "nothing is waited for any more");
  }

  @Test
  void aSkippedIdThatNeverCommitsIsGivenUpAfterTheWait() {
    ChangeCursor cursor = new ChangeCursor(0, 10_000);
    assertTrue(cursor.take(3, 0));
    assertEquals(0, cursor.readAfter(9_999), "1 and 2 are still waited for");
    assertEquals(3, cursor.readAfter(10_001), "a rolled-back 1 and 2 are given up");
    assertFalse(cursor.take(2, 10_002), "a row below the cursor after the wait is not applied");
  }

  @Test
  void aHugeJumpRemembersAtMostABoundedNumberOfGaps() {
    ChangeCursor cursor = new ChangeCursor(0, 10_000);
    assertTrue(cursor.take(1_000_000, 0));
    assertEquals(0, cursor.readAfter(1));
    assertTrue(cursor.take(ChangeCursor.MAX_GAP, 1));
    assertFalse(cursor.take(ChangeCursor.MAX_GAP + 1, 1), "beyond the bound nothing is waited for");
  }

  @Test
  void aBatchThatFailedToApplyIsTakenAgainFromTheCopy() {
    ChangeCursor cursor = new ChangeCursor(5, 10_000);
    ChangeCursor before = cursor.copy();
    assertTrue(cursor.take(6, 0));
    assertTrue(cursor.take(8, 0));
    // Applying 6 and 8 failed (the database went away): the follower goes back to the copy.
    cursor = before;
    assertEquals(5, cursor.readAfter(1), "read from 6 again");
    assertTrue(cursor.take(6, 1), "and 6 is new again");
    assertTrue(cursor.take(8, 1));
  }
}
