package io.redwire.benchmarks.startup.boot;

import io.redwire.benchmarks.BenchCatalog;
import io.redwire.benchmarks.Products;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Startup child (see {@code StartupLauncher}): a minimal Spring Boot application
 * (spring-boot-starter-data-redis + spring-boot-starter-cache, no web, defaults everywhere) whose
 * first {@code @Cacheable} call is timed from the start of {@code main}.
 */
@SpringBootApplication
@EnableCaching
public class BootStartup {

  /** The cached service. */
  public static class Catalog {
    @Cacheable("product")
    public BenchCatalog.Product product(long id) {
      return Products.load(id);
    }
  }

  @Bean
  Catalog catalog() {
    return new Catalog();
  }

  public static void main(String[] args) {
    long started = System.nanoTime();
    ConfigurableApplicationContext context =
        SpringApplication.run(BootStartup.class, "--spring.data.redis.port=" + args[0]);
    BenchCatalog.Product p = context.getBean(Catalog.class).product(1);
    long nanos = System.nanoTime() - started;
    System.out.println("FIRST_CALL_NANOS=" + nanos + " " + p.name());
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
