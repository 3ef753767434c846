/**
 * Baton's Spring Boot starter: auto-configuration, the Spring Security bridge and the task decorator
 * for Spring's executors.
 */
module dev.baton.spring.boot {
  requires transitive dev.baton.core;
  requires static transitive org.jspecify;
  requires transitive spring.core;
  requires transitive spring.beans;
  requires transitive spring.context;
  requires transitive spring.boot;
  requires transitive spring.boot.autoconfigure;
  requires static transitive spring.web;
  requires static transitive jakarta.servlet;
  requires static transitive spring.security.core;
  requires static transitive spring.security.oauth2.core;
  requires static transitive spring.security.oauth2.resource.server;
  requires static transitive spring.security.oauth2.jose;
  requires com.github.benmanes.caffeine;
  requires static transitive spring.boot.health;
  requires static transitive dev.baton.micrometer;
  requires static micrometer.core;
  requires static transitive dev.baton.amqp;
  requires static transitive spring.amqp;
  requires static transitive spring.rabbit;
  requires static transitive spring.aop;
  requires static transitive spring.boot.amqp;
  requires static transitive dev.baton.oauth2;
  requires static transitive dev.baton.jobrunr;

  exports dev.baton.spring.boot;

  opens dev.baton.spring.boot to spring.core, spring.beans, spring.context;
}
