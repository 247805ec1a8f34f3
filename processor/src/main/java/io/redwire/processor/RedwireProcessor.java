package io.redwire.processor;

import com.google.auto.service.AutoService;
import io.redwire.processor.generate.ProxyWriter;
import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.read.CacheReader;
import io.redwire.processor.read.InterfaceReader;
import io.redwire.processor.read.KeyTemplates;
import io.redwire.processor.read.RateLimitReader;
import io.redwire.processor.read.LockReader;
import io.redwire.processor.read.ValueTypeReader;
import io.redwire.processor.validate.CacheValidator;
import io.redwire.processor.validate.Diagnostics;
import io.redwire.processor.validate.InterfaceValidator;
import io.redwire.processor.validate.RateLimitValidator;
import io.redwire.processor.validate.LockValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Turns Redwire annotations on interface methods into {@code Redwire<Interface>} classes.
 *
 * <p>Each round it reads every annotated interface, validates everything and reports every error; only
 * when no error was reported does it generate, one file per interface (Gradle: isolating).
 */
@AutoService(Processor.class)
public final class RedwireProcessor extends AbstractProcessor {

  /** The method annotations that make an interface a Redwire interface. */
  static final List<String> METHOD_ANNOTATIONS = List.of(
      CacheReader.CACHED, CacheReader.CACHE_PUT, CacheReader.CACHE_EVICT, CacheReader.CACHE_EVICT_LIST,
      RateLimitReader.RATE_LIMITED, RateLimitReader.RATE_LIMITED_LIST,
      LockReader.LOCKED);

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return new LinkedHashSet<>(METHOD_ANNOTATIONS);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Diagnostics diagnostics = new Diagnostics(processingEnv.getMessager());
    Set<TypeElement> interfaces = new LinkedHashSet<>();
    for (String name : METHOD_ANNOTATIONS) {
      TypeElement annotation = processingEnv.getElementUtils().getTypeElement(name);
      if (annotation == null) {
        continue;
      }
      for (Element e : round.getElementsAnnotatedWith(annotation)) {
        collect(e, annotation, interfaces, diagnostics);
      }
    }
    if (interfaces.isEmpty()) {
      return false;
    }
    ValueTypeReader values = new ValueTypeReader(processingEnv);
    KeyTemplates keys = new KeyTemplates(processingEnv, diagnostics);
    InterfaceReader reader = new InterfaceReader(processingEnv, new CacheReader(keys, values, diagnostics),
        new RateLimitReader(keys, diagnostics), new LockReader(keys, diagnostics));
    InterfaceValidator interfaceValidator = new InterfaceValidator(diagnostics);
    CacheValidator cacheValidator = new CacheValidator(processingEnv, diagnostics);
    RateLimitValidator rateLimitValidator = new RateLimitValidator(diagnostics);
    LockValidator lockValidator = new LockValidator(diagnostics);

    List<InterfaceModel> models = new ArrayList<>();
    for (TypeElement type : interfaces) {
      try {
        if (interfaceValidator.validate(type)) {
          InterfaceModel model = reader.read(type);
          cacheValidator.validate(model);
          rateLimitValidator.validate(model);
          lockValidator.validate(model);
          models.add(model);
        }
      } catch (RuntimeException e) {
        diagnostics.internal(type, e);
      }
    }
    if (diagnostics.errors() > 0) {
      return false;
    }
    ProxyWriter writer = new ProxyWriter(processingEnv.getTypeUtils());
    for (InterfaceModel model : models) {
      try {
        writer.write(model).writeTo(processingEnv.getFiler());
      } catch (IOException | RuntimeException e) {
        diagnostics.internal(model.element(), e);
      }
    }
    return false;
  }

  private void collect(Element e, TypeElement annotation, Set<TypeElement> interfaces,
      Diagnostics diagnostics) {
    if (!(e instanceof ExecutableElement method) || e.getKind() != ElementKind.METHOD) {
      return;
    }
    String simple = annotation.getSimpleName().toString();
    if (annotation.getQualifiedName().contentEquals(CacheReader.CACHE_EVICT_LIST)) {
      simple = "CacheEvict";
    }
    if (annotation.getQualifiedName().contentEquals(RateLimitReader.RATE_LIMITED_LIST)) {
      simple = "RateLimited";
    }
    Element owner = method.getEnclosingElement();
    if (owner.getKind() != ElementKind.INTERFACE) {
      diagnostics.notOnInterface(method, simple);
      return;
    }
    if (method.getModifiers().contains(Modifier.STATIC) || method.getModifiers().contains(Modifier.PRIVATE)) {
      diagnostics.staticOrPrivate(method, simple);
      return;
    }
    interfaces.add((TypeElement) owner);
  }
}
