package io.redwire.benchmarks.startup.redwire;

import io.redwire.benchmarks.BenchCatalog;
import io.redwire.benchmarks.Products;
import io.redwire.benchmarks.RedwireBenchCatalog;
import io.redwire.runtime.Redwire;

/**
 * Startup child (see {@code StartupLauncher}): connect, wrap, make the first cached call (a miss:
 * GET, lease, load, store), print the time since {@code main} began, and halt.
 */
public final class RedwireStartup {
  private RedwireStartup() {}

  public static void main(String[] args) {
    long started = System.nanoTime();
    Redwire redwire = Redwire.connect("redis://127.0.0.1:" + args[0]);
    BenchCatalog catalog = RedwireBenchCatalog.wrap(new Products.Service(), redwire);
    BenchCatalog.Product p = catalog.product(1);
    long nanos = System.nanoTime() - started;
    System.out.println("FIRST_CALL_NANOS=" + nanos + " " + p.name());
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
