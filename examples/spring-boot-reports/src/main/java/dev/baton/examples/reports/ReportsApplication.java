package dev.baton.examples.reports;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * The reports service: {@code POST /reports} starts a report job and answers {@code 202} with its
 * id; {@code GET /reports/{id}} shows the report to the caller who started it. Run it with
 * {@code --spring.profiles.active=demo} for a self-contained demo (its own issuer and downstream).
 */
@SpringBootApplication
@EnableAsync
public class ReportsApplication {

  /** Created by Spring. */
  ReportsApplication() {}

  /**
   * Starts the application.
   *
   * @param args Spring Boot's arguments, such as {@code --baton.store=redis://…}
   */
  public static void main(String[] args) {
    SpringApplication.run(ReportsApplication.class, args);
  }
}
