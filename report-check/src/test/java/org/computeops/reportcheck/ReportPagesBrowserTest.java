package org.computeops.reportcheck;

import com.sun.net.httpserver.HttpServer;
import org.computeops.results.files.RunFiles;
import org.computeops.results.files.RunFolder;
import org.computeops.results.model.OrchestratorResults;
import org.computeops.results.model.RunSummary;
import org.computeops.results.model.ScenarioResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opens a finished run's Allure report and comparison page in headless Chromium (Debian's
 * chromium and chromium-driver; Selenium Manager is never asked for a browser or driver) and
 * checks what a person sees: every (scenario, orchestrator) pair counted on Allure's Overview,
 * every orchestrator in its Suites and Environment widgets, a link back to the page; on the page,
 * each scenario's charts with their clock and tier, the SLO, changes and history sections; and no
 * JavaScript error on either. Screenshots go into the run folder.
 *
 * <p>Needs {@code -Dreport.run.dir=RUN_DIR} of a run whose report is built; fails without one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportPagesBrowserTest {

    private Path runDir;
    private RunSummary summary;
    private HttpServer server;
    private String base;
    private ChromeDriver driver;

    @BeforeAll
    void open() throws Exception {
        String dir = System.getProperty("report.run.dir", "");
        assertThat(dir).as("-Dreport.run.dir must name a run folder whose report is built (infra/testbed test passes it)").isNotBlank();
        runDir = Path.of(dir).toAbsolutePath().normalize();
        summary = RunFiles.readSummary(new RunFolder(runDir, runDir.getFileName().toString()));
        assertThat(summary).as("summary.json in " + runDir).isNotNull();
        assertThat(runDir.resolve("allure-report/index.html")).as("the run's Allure report").exists();
        assertThat(runDir.resolve("comparison.html")).as("the run's comparison page").exists();

        // Allure's page loads its data with XHR, which file:// forbids: serve the run folder on loopback only
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", new StaticFiles(runDir));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("report.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("report.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1400");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    void close() {
        if (driver != null) driver.quit();
        if (server != null) server.stop(0);
    }

    private Set<String> orchestrators() {
        Set<String> names = new LinkedHashSet<>();
        summary.orchestrators().forEach(o -> names.add(o.name()));
        return names;
    }

    private WebElement await(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() || found.get(0).getText().isBlank() ? null : found.get(0);
        });
    }

    private void assertNoJavaScriptErrors(String page) {
        List<String> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
        assertThat(severe).as("JavaScript errors on " + page).isEmpty();
    }

    private void screenshot(String name, boolean fullPage) throws Exception {
        byte[] png;
        if (fullPage) {
            Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("captureBeyondViewport", true, "format", "png"));
            png = Base64.getDecoder().decode((String) shot.get("data"));
        } else {
            png = driver.getScreenshotAs(OutputType.BYTES);
        }
        Files.write(runDir.resolve(name), png);
    }

    @Test
    void allureOverviewCountsEveryOrchestrator() throws Exception {
        driver.get(base + "allure-report/index.html");
        long pairs = summary.orchestrators().stream().mapToLong(o -> o.scenarios().size()).sum();
        String total = await(By.cssSelector("[data-id=summary] .splash__title")).getText().trim();
        await(By.cssSelector("[data-id=suites] .table__row"));
        List<WebElement> suiteRows = driver.findElements(By.cssSelector("[data-id=suites] .table__row"));
        List<String> suites = suiteRows.stream().map(r -> r.findElement(By.cssSelector(".table__col:first-child")).getText().trim()).toList();
        String environment = await(By.cssSelector("[data-id=environment] .table")).getText();
        WebElement executor = await(By.cssSelector("[data-id=executors] a"));
        WebElement trend = await(By.cssSelector("[data-id=history-trend]"));
        screenshot("report-check-allure-overview.png", false);

        // a test run also has the adapter contract checks: at least one test case per (scenario, orchestrator) pair
        assertThat(Long.parseLong(total)).as("Allure's Overview counts a test case per (scenario, orchestrator) pair of summary.json")
                .isGreaterThanOrEqualTo(pairs);
        assertThat(suites).as("Suites widget: one suite per orchestrator").containsAll(orchestrators());
        for (var o : summary.orchestrators()) {
            WebElement row = suiteRows.get(suites.indexOf(o.name()));
            // the row shows its tests counted by status (passed, skipped, ...): their sum is the suite's size
            String counts = row.getText().trim().substring(o.name().length());
            long tests = java.util.regex.Pattern.compile("\\d+").matcher(counts).results().mapToLong(m -> Long.parseLong(m.group())).sum();
            assertThat(tests).as("test cases of %s in the Suites widget, '%s' (its scenarios: %d)", o.name(), row.getText(),
                    o.scenarios().size()).isGreaterThanOrEqualTo(o.scenarios().size());
        }
        for (String o : orchestrators()) assertThat(environment).as("Environment widget").contains(o);
        assertThat(executor.getAttribute("href")).as("Executors widget links back to the comparison page").endsWith("/comparison.html");
        if (Files.exists(runDir.resolve("allure-results/history/history-trend.json"))) {
            // publish carried an earlier run's history: the Trend widget must draw it
            assertThat(trend.getText()).as("Trend widget with an earlier run's history").doesNotContain("There is nothing to show");
            assertThat(trend.findElements(By.cssSelector("svg"))).as("Trend chart").isNotEmpty();
        }
        assertNoJavaScriptErrors("the Allure report");
    }

    @Test
    void comparisonPageShowsChartsSlosChangesAndHistory() throws Exception {
        driver.get(base + "comparison.html");
        await(By.tagName("h1"));
        screenshot("report-check-comparison.png", true);

        for (String scenario : scenarios()) {
            List<WebElement> section = driver.findElements(By.cssSelector("div.charts[data-scenario='" + scenario + "']"));
            assertThat(section).as("charts section of " + scenario).hasSize(1);
            // a scenario that measured something (a figure with readings) is drawn; one that did not says so
            boolean measured = summary.orchestrators().stream().flatMap(o -> o.scenarios().stream())
                    .filter(s -> s.scenario().equals(scenario)).flatMap(s -> s.figures().stream()).anyMatch(f -> f.n() > 0);
            List<WebElement> charts = section.get(0).findElements(By.cssSelector("svg.chart"));
            if (measured) assertThat(charts).as("charts of " + scenario).isNotEmpty();
            else assertThat(section.get(0).getText()).as("why " + scenario + " has no chart").startsWith("No chart:");
            for (WebElement chart : charts) {
                assertThat(chart.findElement(By.cssSelector(".caption")).getText()).as("each chart states its n, clock and tier")
                        .contains("n=").contains("clock:").contains("tier:");
            }
        }
        assertThat(driver.findElements(By.id("slo"))).as("SLO section").hasSize(1);
        assertThat(driver.findElements(By.id("changes"))).as("what-changed section").hasSize(1);
        assertThat(driver.findElements(By.id("history"))).as("history section").hasSize(1);
        assertThat(driver.findElements(By.cssSelector("details.history"))).as("one history entry per (orchestrator, scenario)")
                .hasSize((int) summary.orchestrators().stream().mapToLong(o -> o.scenarios().size()).sum());
        assertThat(driver.findElement(By.id("allure-link")).getAttribute("href")).endsWith("/allure-report/index.html");
        for (OrchestratorResults o : summary.orchestrators()) {
            for (ScenarioResult s : o.scenarios()) {
                if (s.reason() != null && s.reason().startsWith("SLO breached: ")) {
                    assertThat(driver.findElement(By.id("slo")).findElement(By.xpath("following-sibling::table[1]")).getText())
                            .as("a breached SLO is listed").contains("BREACHED");
                }
            }
        }
        assertNoJavaScriptErrors("the comparison page");
    }

    /** The container runtimes (recorded as "runtimes") have their own section, not per-scenario chart blocks. */
    private Set<String> scenarios() {
        Set<String> names = new LinkedHashSet<>();
        summary.orchestrators().stream().filter(o -> !o.name().equals("runtimes")).forEach(o -> o.scenarios().forEach(s -> names.add(s.scenario())));
        return names;
    }

    @Test
    void comparisonPageShowsTheContainerRuntimesWhenTheRunHasThem() throws Exception {
        driver.get(base + "comparison.html");
        await(By.tagName("h1"));
        var runtimes = summary.orchestrator("runtimes");
        List<WebElement> section = driver.findElements(By.id("runtimes"));
        if (runtimes.isEmpty()) {
            assertThat(section).as("no runtimes section in a run without runtime scenarios").isEmpty();
            return;
        }
        assertThat(section).as("the Container runtimes section").hasSize(1);
        WebElement s = section.get(0);
        assertThat(s.isDisplayed()).isTrue();
        assertThat(s.findElement(By.tagName("h2")).getText()).isEqualTo("Container runtimes");
        List<WebElement> rows = s.findElements(By.cssSelector("table.runtimes-table tr[data-runtime]"));
        assertThat(rows).as("one row per runtime that ran, and the bare host").hasSizeGreaterThan(1);
        for (WebElement row : rows) assertThat(row.isDisplayed()).isTrue();
        for (WebElement absent : s.findElements(By.cssSelector("table.runtimes-table tr.absent"))) {
            assertThat(absent.getText()).as("an absent runtime says why, with no figure").contains("not available:");
        }
        boolean startup = runtimes.get().scenarios().stream().anyMatch(x -> x.scenario().equals("runtime-startup"));
        if (startup) {
            assertThat(s.findElements(By.cssSelector(".runtimes-charts svg"))).as("start-up distributions").isNotEmpty();
            assertThat(s.findElement(By.id("harness-cost")).getText()).contains("n=");
        }
        assertNoJavaScriptErrors("the comparison page");
    }
}
