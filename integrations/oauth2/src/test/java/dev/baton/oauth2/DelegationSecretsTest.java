package dev.baton.oauth2;

import static dev.baton.oauth2.harness.AuthorizationServer.DELEGATED_AUDIENCE;
import static dev.baton.oauth2.harness.AuthorizationServer.SERVICE_ID;
import static dev.baton.oauth2.Callers.caller;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.oauth2.harness.AuthorizationServer;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import dev.baton.test.LogCapture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client secret, the caller's token and the delegated token appear in no log record of any
 * client-side library at the most verbose level (JUL at ALL: Baton, Nimbus, the JDK's HTTP
 * clients), in no exception message or stack trace, and in no {@code toString()} &mdash; through a
 * successful delegation, a refused one and an unreachable authorization server.
 *
 * <p>Records of the authorization server's own loggers (Spring, Tomcat:
 * {@code org.springframework}, {@code org.apache}) are left out of the scan: in production that server is another process with
 * its own logging; here it merely shares the JVM.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class DelegationSecretsTest {
  @TempDir Path directory;

  private static boolean serverSide(LogRecord record) {
    String name = record.getLoggerName() == null ? "" : record.getLoggerName();
    return name.startsWith("org.springframework.") || name.startsWith("org.apache.");
  }

  private static String trace(Throwable e) {
    StringWriter text = new StringWriter();
    e.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  @Test
  void delegation_successRefusalAndOutage_noSecretInLogsMessagesOrToString() throws Exception {
    List<String> texts = new ArrayList<>();
    List<String> needles = new ArrayList<>();
    List<LogRecord> clientSide;
    List<LogRecord> all;
    try (LogCapture logs = LogCapture.attach();
        AuthorizationServer server = AuthorizationServer.start();
        LedgerApi ledger = new LedgerApi(server);
        MemoryTokenSnapshotStore store = MemoryTokenSnapshotStore.create()) {
      Path secretFile = Files.writeString(directory.resolve("secret"), server.serviceSecret());
      needles.add(server.serviceSecret());
      needles.add(dev.baton.oauth2.harness.AuthorizationServer.basic(SERVICE_ID, server.serviceSecret()).substring(6));
      TokenExchangeDelegation delegation = TokenExchangeDelegation.builder()
          .tokenEndpoint(server.tokenEndpoint()).clientId(SERVICE_ID)
          .clientSecretFromFile(secretFile).audience(DELEGATED_AUDIENCE).scopes("ledger.read")
          .build();
      texts.add(delegation.toString());
      Baton baton = Baton.builder().store(store).delegation(delegation).build();

      AccessToken alice = caller(server.userToken("alice"));
      needles.add(alice.token());
      TaskKey key;
      try (Scope request = baton.bindRequest(alice)) {
        key = baton.capture();
      }
      AtomicReference<String> delegated = new AtomicReference<>();
      String answer = baton.call(key, () -> {
        AccessToken token = Baton.currentToken().orElseThrow();
        delegated.set(token.token());
        texts.add(token.toString());
        return ledger.call(token.token());
      });
      assertThat(answer).startsWith("200 sub=alice");
      needles.add(delegated.get());

      AccessToken bob = caller(server.userToken("bob"));
      needles.add(bob.token());
      server.revoke(bob.token());
      try (Scope request = baton.bindRequest(bob)) {
        baton.capture();
      } catch (RuntimeException refused) {
        texts.add(refused.toString());
        texts.add(trace(refused));
      }

      int closedPort;
      try (ServerSocket socket = new ServerSocket(0)) {
        closedPort = socket.getLocalPort();
      }
      Baton down = Baton.builder().store(store).delegation(TokenExchangeDelegation.builder()
          .tokenEndpoint(URI.create("http://127.0.0.1:" + closedPort + "/oauth2/token"))
          .clientId(SERVICE_ID).clientSecretFromFile(secretFile).build()).build();
      try (Scope request = down.bindRequest(alice)) {
        down.capture();
      } catch (RuntimeException unavailable) {
        texts.add(unavailable.toString());
        texts.add(trace(unavailable));
      }
      all = logs.records();
      clientSide = all.stream().filter(r -> !serverSide(r)).collect(Collectors.toList());
    }

    assertThat(texts).as("both failures were seen").hasSizeGreaterThanOrEqualTo(6);
    assertThat(all).as("JUL at ALL produced the server's debug records").isNotEmpty();
    assertThat(clientSide).as("client-side libraries (the JDK's HTTP clients) logged at ALL")
        .isNotEmpty();
    String logText = render(clientSide);
    for (String needle : needles) {
      assertThat(logText).doesNotContain(needle);
      assertThat(texts).noneSatisfy(text -> assertThat(text).contains(needle));
    }
  }

  private static String render(List<LogRecord> records) {
    StringBuilder text = new StringBuilder();
    java.util.logging.SimpleFormatter formatter = new java.util.logging.SimpleFormatter();
    for (LogRecord record : records) {
      text.append(record.getLoggerName()).append(' ').append(formatter.formatMessage(record))
          .append(" | ").append(record.getMessage());
      if (record.getParameters() != null) {
        for (Object parameter : record.getParameters()) {
          text.append(" | ").append(parameter);
        }
      }
      if (record.getThrown() != null) {
        text.append('\n').append(trace(record.getThrown()));
      }
      text.append('\n');
    }
    return text.toString();
  }
}
