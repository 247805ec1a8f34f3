package io.redwire.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * The runtime logs through the SLF4J 2 API, so a current backend (slf4j-simple 2, Logback 1.3+, Log4j's
 * slf4j2-impl) receives its warnings; with the 1.7 API those backends are not found and every fail-open
 * warning goes to the NOP logger.
 */
class LoggingTest {

  @Test
  void anSlf4j2BackendReceivesTheRuntimesLogs() {
    assertTrue(!(LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory), "NOP logging");
    // slf4j-simple 2.x (a 1.7 binding would be org.slf4j.impl.SimpleLoggerFactory)
    assertEquals("org.slf4j.simple.SimpleLoggerFactory", LoggerFactory.getILoggerFactory().getClass().getName());
    assertTrue(LoggerFactory.getLogger(Redwire.class).isWarnEnabled());
    // the 2.x fluent API is there
    LoggerFactory.getLogger(LoggingTest.class).atDebug().setMessage("fluent {}").addArgument(1).log();
  }
}
