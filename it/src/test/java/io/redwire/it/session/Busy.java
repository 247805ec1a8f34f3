package io.redwire.it.session;

import io.redwire.SessionScoped;

/** For the lost-update test: a counter, a compare-and-set token, and one field per writer thread. */
@SessionScoped(ttl = "5m")
public interface Busy {

  String id();

  long count();

  long addCount(long delta);

  String turn();

  void turn(String turn);

  boolean compareAndSetTurn(String expect, String update);

  String s0();

  void s0(String v);

  String s1();

  void s1(String v);

  String s2();

  void s2(String v);

  String s3();

  void s3(String v);

  String s4();

  void s4(String v);

  String s5();

  void s5(String v);

  String s6();

  void s6(String v);

  String s7();

  void s7(String v);

  String s8();

  void s8(String v);

  String s9();

  void s9(String v);

  String s10();

  void s10(String v);

  String s11();

  void s11(String v);

  String s12();

  void s12(String v);

  String s13();

  void s13(String v);

  String s14();

  void s14(String v);

  String s15();

  void s15(String v);
}
