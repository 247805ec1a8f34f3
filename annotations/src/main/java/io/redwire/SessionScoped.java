package io.redwire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes an interface of accessors describe typed session state kept in one Redis hash per session.
 * The processor writes {@code Redwire<Interface>} with {@code store(redwire)}, which returns an
 * {@code io.redwire.runtime.session.SessionStore<Interface>}.
 *
 * <pre>{@code
 * @SessionScoped(ttl = "30m", name = "cart", absolute = "8h", maxPerUser = 5)
 * public interface CartSession {
 *   String id();                                               // the session id (reserved)
 *   @SessionUser String userId();  void userId(String v);      // the per-user index
 *   long items();                  long addItems(long delta);  // atomic increment
 *   String coupon();               boolean compareAndSetCoupon(String expect, String update);
 *   CartView view();                                           // several fields, one round trip
 * }
 * }</pre>
 *
 * <p>Methods: {@code T x()} reads field {@code x}; {@code void x(T v)} writes it; {@code long addX(long
 * delta)} (or {@code int}) adds to an integral field and returns the new value; {@code boolean
 * compareAndSetX(T expect, T update)} writes only when the field holds {@code expect}; a no-arg method
 * returning a record whose components are named like getters reads those fields at once. {@code
 * String id()} is reserved for the session id. Default methods are kept as written.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface SessionScoped {

  /** The idle timeout: a session nobody touches for this long ends. Slid by every access. */
  String ttl();

  /** The store name, part of every key. Defaults to the interface's simple-name chain ({@code CartSession}). */
  String name() default "";

  /** The absolute timeout: a session ends at this age however active it is. Empty: none. */
  String absolute() default "";

  /**
   * With a {@link SessionUser} accessor: the most sessions one user keeps; a further one evicts the
   * oldest. 0: no limit beyond the index bound.
   */
  int maxPerUser() default 0;
}
