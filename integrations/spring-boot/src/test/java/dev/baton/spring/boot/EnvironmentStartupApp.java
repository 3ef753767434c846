package dev.baton.spring.boot;

import dev.baton.Baton;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application started in a child JVM by {@link EnvironmentVariablesStartupTest}, so that its
 * environment variables are real ones: prints the Baton's store and exits.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class EnvironmentStartupApp {

  public static void main(String[] args) {
    var application = new SpringApplication(EnvironmentStartupApp.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setBannerMode(Banner.Mode.OFF);
    try (ConfigurableApplicationContext context = application.run(args)) {
      System.out.println("started with " + context.getBean(Baton.class).store().orElseThrow());
    }
  }
}
