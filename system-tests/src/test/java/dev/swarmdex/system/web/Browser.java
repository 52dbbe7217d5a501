package dev.swarmdex.system.web;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, with a fresh profile that is
 * deleted on close. Nothing is downloaded: both binaries are given by path, so Selenium Manager is
 * never asked. Tests are skipped (not failed) when either binary is missing.
 *
 * <pre>{@code
 * try (Browser browser = Browser.start(server)) {
 *   browser.open("/");
 *   browser.screenshot("search-empty");
 * }
 * }</pre>
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(20);
  static final Dimension DESKTOP = new Dimension(1280, 900);
  static final Dimension PHONE = new Dimension(375, 800);

  private final ChromeDriver driver;
  private final Path profile;
  private final URI server;

  private Browser(ChromeDriver driver, Path profile, URI server) {
    this.driver = driver;
    this.profile = profile;
    this.server = server;
  }

  /** Starts Chromium for pages of {@code server}; a JUnit assumption fails without the binaries. */
  static Browser start(URI server) throws IOException {
    assumeTrue(
        Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt install chromium)");
    assumeTrue(
        Files.isExecutable(CHROMEDRIVER),
        "no chromedriver at " + CHROMEDRIVER + " (apt install chromium-driver)");
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    Path profile = Files.createTempDirectory("swarmdex-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--window-size=" + DESKTOP.width + "," + DESKTOP.height,
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new Browser(new ChromeDriver(service, options), profile, server);
  }

  WebDriver driver() {
    return driver;
  }

  /** Loads {@code path} of the server and waits for the document to be ready. */
  void open(String path) {
    driver.get(server.resolve(path).toString());
    waitFor(d -> "complete".equals(script("return document.readyState")));
  }

  /** Waits until {@code condition} answers non-null and not false; stale elements are retried. */
  <T> T waitFor(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT)
        .ignoring(StaleElementReferenceException.class)
        .withMessage(() -> "the page says: " + texts(By.cssSelector(".notice:not([hidden])")))
        .until(condition);
  }

  /** The element, once it is present and visible. */
  WebElement visible(By by) {
    return waitFor(
        d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
  }

  /** Waits until the element shows exactly {@code text}, and returns it. */
  WebElement showing(By by, String text) {
    return new WebDriverWait(driver, WAIT)
        .ignoring(StaleElementReferenceException.class)
        .withMessage(() -> by + " shows '" + texts(by) + "', not '" + text + "'")
        .until(
            d -> {
              WebElement element = d.findElement(by);
              return element.isDisplayed() && element.getText().equals(text) ? element : null;
            });
  }

  /** Texts of every element matching {@code by}, now. */
  List<String> texts(By by) {
    return driver.findElements(by).stream().map(WebElement::getText).toList();
  }

  /** Clicks the element once it is there, again if a re-render replaced it in between. */
  void click(By by) {
    waitFor(
        d -> {
          d.findElement(by).click();
          return true;
        });
  }

  /** Clears a field and types into it. */
  void type(By by, String text) {
    WebElement field = visible(by);
    field.clear();
    field.sendKeys(text);
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  void resize(Dimension size) {
    driver.manage().window().setSize(size);
  }

  /** Whether the page is wider than the window, i.e. scrolls sideways. */
  boolean scrollsSideways() {
    return (Boolean)
        script(
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth");
  }

  /**
   * Saves the whole page as {@code target/screenshots/NAME.png}: the window grows to the page's
   * height for the shot, then goes back.
   */
  Path screenshot(String name) throws IOException {
    Dimension before = driver.manage().window().getSize();
    long height = (Long) script("return Math.ceil(document.documentElement.scrollHeight)");
    long chrome = (Long) script("return window.outerHeight - window.innerHeight");
    int tall = (int) Math.min(4000, Math.max(before.height, height + chrome));
    driver.manage().window().setSize(new Dimension(before.width, tall));
    try {
      Path dir = Path.of(System.getProperty("basedir", "."), "target", "screenshots");
      Files.createDirectories(dir);
      return Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } finally {
      driver.manage().window().setSize(before);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
