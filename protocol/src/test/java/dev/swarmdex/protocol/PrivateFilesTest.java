package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program's own folders are narrowed to their owner, but a folder it was merely pointed at that
 * others share ({@code --state /tmp}, {@code --data .}) is left as it is.
 */
class PrivateFilesTest {
  @TempDir Path dir;

  static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void aNewFolderIsCreatedAndAnOwnFolderOpenToOthersIsNarrowed() throws Exception {
    Path fresh = dir.resolve("state/deep");
    PrivateFiles.folder(fresh);
    assertEquals("rwx------", mode(fresh));

    Path own = Files.createDirectories(dir.resolve("own"));
    Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwxr-xr-x"));
    PrivateFiles.folder(own);
    assertEquals("rwx------", mode(own));
  }

  @Test
  void aStickyFolderSharedLikeTmpIsLeftAsItIs() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Files.setAttribute(tmp, "unix:mode", 01777);

    PrivateFiles.folder(tmp);
    PrivateFiles.write(tmp.resolve("peer.json"), new byte[] {1});

    assertEquals("rwxrwxrwx", mode(tmp));
    assertEquals(01000, (Integer) Files.getAttribute(tmp, "unix:mode") & 01000, "still sticky");
    assertEquals("rw-------", mode(tmp.resolve("peer.json")), "the secret itself is private");
  }

  @Test
  void theWorkingFolderIsLeftAsItIs() throws Exception {
    Path here = Path.of("").toAbsolutePath();
    Set<PosixFilePermission> before = Files.getPosixFilePermissions(here);
    Files.setPosixFilePermissions(here, PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      PrivateFiles.folder(Path.of("."));
      assertEquals("rwxr-xr-x", mode(here));
    } finally {
      Files.setPosixFilePermissions(here, before);
    }
  }

  @Test
  void aSecretOthersCanReadIsRefusedWithOneClearLine() throws Exception {
    Path key = Files.writeString(dir.resolve("key.pem"), "secret");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));

    PrivateFiles.OpenToOthers refused =
        assertThrows(
            PrivateFiles.OpenToOthers.class, () -> PrivateFiles.requireOwnerOnly(key, "--tls-key"));
    assertEquals(
        "--tls-key "
            + key
            + " can be read by others (rw-r-----); make it its owner's only: chmod 600 "
            + key,
        refused.getMessage());

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
    PrivateFiles.requireOwnerOnly(key, "--tls-key");
  }

  @Test
  void anotherUsersSecretIsRefusedEvenOwnerOnly() throws Exception {
    Path key = Files.writeString(dir.resolve("their.key"), "secret");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    var nobody =
        key.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    try {
      Files.setOwner(key, nobody);
    } catch (java.nio.file.FileSystemException e) {
      // Only root may give a file away; CI runs as root, so this never skips there.
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "cannot chown (not root): " + e);
    }
    PrivateFiles.OpenToOthers refused =
        assertThrows(
            PrivateFiles.OpenToOthers.class,
            () -> PrivateFiles.requireOwnerOnly(key, "--admin-password-file"));
    assertTrue(refused.getMessage().contains("belongs to nobody"), refused.getMessage());
  }
}
