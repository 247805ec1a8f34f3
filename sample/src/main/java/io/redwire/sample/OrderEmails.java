package io.redwire.sample;

import io.redwire.Subscribes;

/**
 * The email service's listener: every placed order gets one confirmation email, in consumer group
 * "email"; a failing SMTP call is retried (200 ms, then 400 ms...), and after 5 deliveries the order
 * waits in the dead letters.
 */
public interface OrderEmails {

  @Subscribes(channel = "orders", group = "email", concurrency = 2, maxDeliveries = 5, backoff = "200ms")
  void placed(Orders.OrderPlaced event);
}
