package dev.swarmdex.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.http.ApiDescription;
import dev.swarmdex.engine.http.OpenApiCheck;
import org.junit.jupiter.api.Test;

/**
 * The directory's OpenAPI document on its own (the servers' tests hold it to their routes and live
 * answers): OpenAPI 3.1, examples that validate, and joining refuses a document that names the same
 * path twice.
 */
class DirectoryDescriptionTest {
  @Test
  void theDirectorysDocumentIsOpenApi31WithValidExamples() {
    OpenApiCheck doc = OpenApiCheck.of(ApiHandler.description().bytes());
    doc.assertValidOpenApi31();
    doc.assertEveryOperationHasExamples();
    assertTrue(doc.assertExamplesValid() > 100);
  }

  @Test
  void joiningTwoDocumentsThatDescribeOnePathIsRefused() {
    ApiDescription directory = ApiHandler.description();
    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> directory.with(directory));
    assertTrue(twice.getMessage().contains("is in both"), twice.getMessage());
    assertEquals(
        directory.tree().path("paths").size(),
        directory
            .with(ApiDescription.read(getClass(), "empty-openapi.json"))
            .tree()
            .path("paths")
            .size());
  }
}
