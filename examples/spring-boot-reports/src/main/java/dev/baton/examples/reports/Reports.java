package dev.baton.examples.reports;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The reports and their owners, in memory. A report is found only by its owner: to anyone else it
 * does not exist. Thread-safe.
 */
@Component
public class Reports {
  private record Entry(ReportOwner owner, Report report) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** Created by Spring. */
  Reports() {}

  void start(String id, ReportOwner owner) {
    entries.put(id, new Entry(owner, Report.running(id)));
  }

  void finish(Report report) {
    entries.computeIfPresent(report.id(), (id, entry) -> new Entry(entry.owner(), report));
  }

  /**
   * The report, if {@code asker} owns it.
   *
   * @return the report; empty when there is none or it is someone else's
   */
  Optional<Report> find(String id, ReportOwner asker) {
    Entry entry = entries.get(id);
    return entry != null && entry.owner().equals(asker)
        ? Optional.of(entry.report())
        : Optional.empty();
  }
}
