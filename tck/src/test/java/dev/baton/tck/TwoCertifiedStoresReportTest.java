package dev.baton.tck;

import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.w3c.dom.Document;

/**
 * Two certified stores in one build: each reports under its own class, with all its checks, and a
 * report written from the results (as Surefire writes one, escaping only XML's markup characters)
 * parses — also for a store whose failures quote text with characters XML forbids.
 */
class TwoCertifiedStoresReportTest {
  private static final Class<?> PASSING = Verifications.Reference.class;
  private static final Class<?> FAILING = Verifications.Latin1Text.class;

  private static Map<String, List<Event>> runBothInOneBuild() {
    EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(PASSING), selectClass(FAILING))
        .execute();
    return results.testEvents().finished().stream().collect(groupingBy(
        e -> ((MethodSource) e.getTestDescriptor().getSource().orElseThrow()).getClassName()));
  }

  @Test
  void twoVerifications_inOneBuild_reportEveryCheckUnderTheirOwnClass() {
    Map<String, List<Event>> byClass = runBothInOneBuild();
    assertThat(byClass.keySet()).containsExactlyInAnyOrder(PASSING.getName(), FAILING.getName());
    assertThat(byClass.get(PASSING.getName())).hasSize(KitCatchesBrokenStoresTest.CHECKS);
    assertThat(byClass.get(FAILING.getName())).hasSize(KitCatchesBrokenStoresTest.CHECKS);
  }

  @Test
  void failingVerification_writesWellFormedReport_whoseFailuresNameTheStore() throws Exception {
    Map<String, List<Event>> byClass = runBothInOneBuild();
    for (Map.Entry<String, List<Event>> suite : byClass.entrySet()) {
      Document report = parse(surefireStyleReport(suite.getKey(), suite.getValue()));
      assertThat(report.getDocumentElement().getAttribute("tests"))
          .isEqualTo(String.valueOf(KitCatchesBrokenStoresTest.CHECKS));
    }
    List<String> failures = byClass.get(FAILING.getName()).stream()
        .map(TwoCertifiedStoresReportTest::failureText).filter(t -> !t.isEmpty()).toList();
    assertThat(failures).isNotEmpty()
        .allMatch(t -> t.contains("[" + FailureWording.storeName(FAILING) + "]"));
  }

  private static String failureText(Event e) {
    return e.getPayload(TestExecutionResult.class)
        .filter(r -> r.getStatus() == TestExecutionResult.Status.FAILED)
        .flatMap(TestExecutionResult::getThrowable)
        .map(t -> {
          var trace = new StringWriter();
          t.printStackTrace(new PrintWriter(trace));
          return trace.toString();
        })
        .orElse("");
  }

  /** A report shaped like Surefire's: markup characters escaped, any other text copied as is. */
  private static String surefireStyleReport(String className, List<Event> events) {
    var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"")
        .append(markup(className)).append("\" tests=\"").append(events.size()).append("\">\n");
    for (Event e : events) {
      xml.append("  <testcase classname=\"").append(markup(className)).append("\" name=\"")
          .append(markup(e.getTestDescriptor().getLegacyReportingName())).append('"');
      String failure = failureText(e);
      if (failure.isEmpty()) {
        xml.append("/>\n");
      } else {
        String message = failure.lines().findFirst().orElse("");
        xml.append("><failure message=\"").append(markup(message)).append("\">")
            .append(markup(failure)).append("</failure></testcase>\n");
      }
    }
    return xml.append("</testsuite>\n").toString();
  }

  private static String markup(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }
}
