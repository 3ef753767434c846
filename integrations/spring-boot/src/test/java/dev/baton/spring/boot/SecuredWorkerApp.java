package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.TaskKey;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

/**
 * A worker process (no web server, no resource server) started by
 * {@link SecurityContextInWorkerProcessTest}: restores each task key of {@code worker.keys} from the
 * shared store and calls the {@code @PreAuthorize} service in it, printing one line per job.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableMethodSecurity
@Import(SecuredJobsApp.ReportWriter.class)
class SecuredWorkerApp {

  public static void main(String[] args) {
    var application = new SpringApplication(SecuredWorkerApp.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setBannerMode(Banner.Mode.OFF);
    try (ConfigurableApplicationContext context = application.run(args)) {
      Baton baton = context.getBean(Baton.class);
      SecuredJobsApp.ReportWriter writer = context.getBean(SecuredJobsApp.ReportWriter.class);
      String[] keys = context.getEnvironment().getRequiredProperty("worker.keys").split(",");
      for (int i = 0; i < keys.length; i++) {
        int job = i;
        baton.run(
            TaskKey.parse(keys[i]),
            () -> {
              String outcome;
              try {
                outcome = writer.write();
              } catch (AccessDeniedException e) {
                outcome = "denied";
              }
              System.out.println("job " + job + ": " + outcome);
            });
      }
    }
  }
}
