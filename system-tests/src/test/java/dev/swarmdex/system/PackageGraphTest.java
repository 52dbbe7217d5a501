package dev.swarmdex.system;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
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

  @Test
  void theArchitectureDocumentShowsThePackageGraphAsBuilt() throws IOException {
    Path doc = Path.of("..", "docs", "ARCHITECTURE.md");
    assertTrue(Files.isRegularFile(doc), doc.toAbsolutePath() + " is missing");
    String text = Files.readString(doc);
    String heading = "### Package graph";
    int at = text.indexOf(heading);
    assertTrue(at >= 0, "docs/ARCHITECTURE.md has no '" + heading + "' section");
    int open = text.indexOf("```\n", at) + 4;
    int close = text.indexOf("```", open);
    Map<String, Set<String>> documented = new TreeMap<>();
    for (String line : text.substring(open, close).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] sides = line.split("->", 2);
      Set<String> targets = new TreeSet<>();
      if (sides.length == 2 && !sides[1].isBlank()) {
        targets.addAll(Set.of(sides[1].trim().split("[ ,]+")));
      }
      documented.put(sides[0].trim(), targets);
    }
    String built = render(packageGraph());
    assertEquals(
        built,
        render(documented),
        "docs/ARCHITECTURE.md's package graph differs from the build; the build's is:\n" + built);
  }

  /** Package to the packages of this project its main classes use (names without dev.swarmdex.). */
  private static Map<String, Set<String>> packageGraph() {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (JavaClass type : main) {
      String from = shortName(type.getPackageName());
      Set<String> targets = graph.computeIfAbsent(from, k -> new TreeSet<>());
      for (Dependency use : type.getDirectDependenciesFromSelf()) {
        String to = use.getTargetClass().getPackageName();
        if (to.startsWith("dev.swarmdex.") && !shortName(to).equals(from)) {
          targets.add(shortName(to));
        }
      }
    }
    return graph;
  }

  private static String shortName(String pkg) {
    return pkg.substring("dev.swarmdex.".length());
  }

  private static String render(Map<String, Set<String>> graph) {
    int width = graph.keySet().stream().mapToInt(String::length).max().orElse(0);
    return graph.entrySet().stream()
        .map(
            e ->
                String.format("%-" + width + "s", e.getKey())
                    + " -> "
                    + String.join(" ", e.getValue()))
        .map(String::stripTrailing)
        .collect(Collectors.joining("\n"));
  }
}
