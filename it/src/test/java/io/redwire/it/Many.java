package io.redwire.it;

import io.redwire.Cached;

/** An interface with many caches, to time wrap against a server that does not answer. */
public interface Many {
  @Cached(ttl = "1m", name = "many01") String m01(String k);
  @Cached(ttl = "1m", name = "many02") String m02(String k);
  @Cached(ttl = "1m", name = "many03") String m03(String k);
  @Cached(ttl = "1m", name = "many04") String m04(String k);
  @Cached(ttl = "1m", name = "many05") String m05(String k);
  @Cached(ttl = "1m", name = "many06") String m06(String k);
  @Cached(ttl = "1m", name = "many07") String m07(String k);
  @Cached(ttl = "1m", name = "many08") String m08(String k);
  @Cached(ttl = "1m", name = "many09") String m09(String k);
  @Cached(ttl = "1m", name = "many10") String m10(String k);
  @Cached(ttl = "1m", name = "many11") String m11(String k);
  @Cached(ttl = "1m", name = "many12") String m12(String k);
}
