package dev.swarmdex.system;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of every module's main code, as the build sees it: no package depends on itself
 * through others, and the engine stays free of the index server app and of the database. A newcomer
 * can then read the code from the bottom up (see docs/ARCHITECTURE.md).
 */
class PackageGraphTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainCode() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // In the reactor the modules come as their jars (or target/classes); a test-jar is
            // tests.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.swarmdex");
  }

  @Test
  void noPackageCycle() {
    // (**) makes every package its own slice, nested ones included: dev.swarmdex.engine.mesh and
    // dev.swarmdex.engine.overlay are two slices, so a cycle between them fails the build.
    slices().matching("dev.swarmdex.(**)").should().beFreeOfCycles().check(main);
  }

  @Test
  void theEngineKnowsNothingOfTheIndexServerAppOrItsDatabase() {
    noClasses()
        .that()
        .resideInAPackage("dev.swarmdex.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.swarmdex.index..",
            "dev.swarmdex.supernode..",
            "dev.swarmdex.peer..",
            "org.jdbi..",
            "org.h2..",
            "org.postgresql..",
            "org.flywaydb..")
        .check(main);
  }

  @Test
  void theProtocolDependsOnNoOtherModule() {
    noClasses()
        .that()
        .resideInAPackage("dev.swarmdex.protocol..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.swarmdex.engine..",
            "dev.swarmdex.index..",
            "dev.swarmdex.supernode..",
            "dev.swarmdex.peer..",
            "dev.swarmdex.bench..")
        .check(main);
  }
}
