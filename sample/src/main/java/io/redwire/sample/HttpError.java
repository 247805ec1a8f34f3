package io.redwire.sample;

import java.util.Map;

/** A request the service refuses: its status, a stable error code and a message for people. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;
  final transient Map<String, Object> details;

  HttpError(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  HttpError(int status, String code, String message, Map<String, Object> details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
