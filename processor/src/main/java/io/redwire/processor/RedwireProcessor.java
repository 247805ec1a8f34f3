package io.redwire.processor;

import com.google.auto.service.AutoService;
import io.redwire.processor.generate.GeneratedClass;
import io.redwire.processor.generate.HandlesWriter;
import io.redwire.processor.generate.ListenerWriter;
import io.redwire.processor.read.EventReader;
import io.redwire.processor.read.QueueReader;
import io.redwire.processor.generate.QueueWriter;
import io.redwire.processor.validate.QueueValidator;
import io.redwire.processor.validate.EventValidator;
import io.redwire.processor.generate.ProxyWriter;
import io.redwire.processor.generate.StoreWriter;
import io.redwire.processor.read.SessionReader;
import io.redwire.processor.validate.SessionValidator;
import io.redwire.processor.read.HandleReader;
import io.redwire.processor.validate.HandleValidator;
import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.read.BulkReader;
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
import io.redwire.processor.read.Mirrors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
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
      LockReader.LOCKED, HandleReader.LEADERBOARD, HandleReader.COUNTER, HandleReader.DISTINCT,
      EventReader.PUBLISHES, EventReader.SUBSCRIBES, QueueReader.QUEUED);

  /**
   * Every Redwire annotation this processor handles: the method annotations, their containers, and
   * {@code @UseCodec} (read wherever a stored type or method carries it). All are claimed, so javac's
   * {@code -Xlint:processing} has nothing to say about them.
   */
  static final List<String> HANDLED_ANNOTATIONS = List.of(
      CacheReader.CACHED, CacheReader.CACHE_PUT, CacheReader.CACHE_EVICT, CacheReader.CACHE_EVICT_LIST,
      RateLimitReader.RATE_LIMITED, RateLimitReader.RATE_LIMITED_LIST,
      LockReader.LOCKED, HandleReader.LEADERBOARD, HandleReader.COUNTER, HandleReader.DISTINCT,
      EventReader.PUBLISHES, EventReader.SUBSCRIBES, EventReader.PAYLOAD, SessionReader.SESSION_SCOPED,
      SessionReader.SESSION_USER, QueueReader.QUEUED, QueueReader.DELAY, QueueReader.AT,
      ValueTypeReader.USE_CODEC);

  /**
   * The {@code @Generated} on the classes this processor writes: javac reads them in the next round,
   * and an annotation no processor claims is a warning under {@code -Xlint:processing}, which
   * {@code -Werror} turns into a failed build.
   */
  static final String GENERATED = "javax.annotation.processing.Generated";

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    Set<String> supported = new LinkedHashSet<>(HANDLED_ANNOTATIONS);
    supported.add(GENERATED);
    return supported;
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  /**
   * Claims the annotations it was given: they are Redwire's, and no other processor should expect them
   * (an unclaimed annotation is a warning under {@code -Xlint:processing}). A round whose only
   * annotation is somebody else's {@code @Generated} is left unclaimed.
   */
  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    boolean claim = annotations.stream().anyMatch(a -> !a.getQualifiedName().contentEquals(GENERATED))
        || onlyOwnGenerated(round);
    handle(round);
    return claim;
  }

  /** Whether every {@code @Generated} element of the round was written by this processor. */
  private boolean onlyOwnGenerated(RoundEnvironment round) {
    TypeElement generated = processingEnv.getElementUtils().getTypeElement(GENERATED);
    if (generated == null) {
      return true;
    }
    for (Element e : round.getElementsAnnotatedWith(generated)) {
      AnnotationMirror m = Mirrors.find(e, GENERATED);
      Object value = m == null ? null : Mirrors.raw(m, "value");
      if (!(value instanceof List<?> names && names.size() == 1
          && String.valueOf(((AnnotationValue) names.get(0)).getValue()).equals(getClass().getName()))) {
        return false;
      }
    }
    return true;
  }

  private void handle(RoundEnvironment round) {
    Diagnostics diagnostics = new Diagnostics(processingEnv.getMessager());
    ValueTypeReader values = new ValueTypeReader(processingEnv);
    KeyTemplates keys = new KeyTemplates(processingEnv, diagnostics);
    InterfaceReader reader = new InterfaceReader(processingEnv, new CacheReader(keys, values, diagnostics, new BulkReader(processingEnv)),
        new RateLimitReader(keys, diagnostics), new LockReader(keys, diagnostics),
        new HandleReader(keys, diagnostics), new EventReader(values, diagnostics),
        new QueueReader(keys, values, diagnostics));
    InterfaceValidator interfaceValidator = new InterfaceValidator(diagnostics);

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
    checkPayloads(round, diagnostics);
    checkTiming(round, new QueueValidator(diagnostics));
    // @SessionScoped interfaces (their methods carry no Redwire annotation but @SessionUser)
    Set<TypeElement> sessions = new LinkedHashSet<>();
    TypeElement sessionScoped = processingEnv.getElementUtils().getTypeElement(SessionReader.SESSION_SCOPED);
    if (sessionScoped != null) {
      for (Element e : round.getElementsAnnotatedWith(sessionScoped)) {
        if (e.getKind() != ElementKind.INTERFACE || !((TypeElement) e).getTypeParameters().isEmpty()) {
          diagnostics.sessionNotInterface(e);
        } else {
          sessions.add((TypeElement) e);
        }
      }
    }
    TypeElement sessionUser = processingEnv.getElementUtils().getTypeElement(SessionReader.SESSION_USER);
    if (sessionUser != null) {
      for (Element e : round.getElementsAnnotatedWith(sessionUser)) {
        if (Mirrors.find(e.getEnclosingElement(), SessionReader.SESSION_SCOPED) == null) {
          diagnostics.sessionUserOutside(e);
        }
      }
    }
    // interfaces that only inherit annotated methods (AccountRepo extends Repo<Account, Long>)
    for (Element root : round.getRootElements()) {
      collectInheriting(root, reader, interfaceValidator, interfaces);
    }
    interfaces.removeAll(sessions);
    if (interfaces.isEmpty() && sessions.isEmpty()) {
      return;
    }
    CacheValidator cacheValidator = new CacheValidator(processingEnv, diagnostics);
    RateLimitValidator rateLimitValidator = new RateLimitValidator(diagnostics);
    LockValidator lockValidator = new LockValidator(diagnostics);
    HandleValidator handleValidator = new HandleValidator(diagnostics);
    EventValidator eventValidator = new EventValidator(diagnostics);
    QueueValidator queueValidator = new QueueValidator(diagnostics);
    SessionReader sessionReader = new SessionReader(values, diagnostics);
    SessionValidator sessionValidator = new SessionValidator(processingEnv.getTypeUtils(), diagnostics);

    List<InterfaceModel> models = new ArrayList<>();
    for (TypeElement type : interfaces) {
      try {
        List<String> open = reader.openTypeVariables(type, METHOD_ANNOTATIONS);
        if (!open.isEmpty()) {
          diagnostics.genericBase(type, open);
          continue;
        }
        if (interfaceValidator.validate(type)) {
          InterfaceModel model = reader.read(type);
          cacheValidator.validate(model);
          rateLimitValidator.validate(model);
          lockValidator.validate(model);
          handleValidator.validate(model);
          eventValidator.validate(model);
          queueValidator.validate(model);
          models.add(model);
        }
      } catch (RuntimeException e) {
        diagnostics.internal(type, e);
      }
    }
    for (TypeElement type : sessions) {
      try {
        if (interfaceValidator.validate(type)) {
          InterfaceModel model = reader.read(type);
          model = model.withSession(sessionReader.read(model));
          sessionValidator.validate(model);
          models.add(model);
        }
      } catch (RuntimeException e) {
        diagnostics.internal(type, e);
      }
    }
    if (diagnostics.errors() > 0) {
      return;
    }
    ProxyWriter proxies = new ProxyWriter(processingEnv.getTypeUtils());
    HandlesWriter handles = new HandlesWriter(processingEnv.getTypeUtils());
    ListenerWriter listeners = new ListenerWriter();
    StoreWriter stores = new StoreWriter(processingEnv.getTypeUtils());
    QueueWriter queues = new QueueWriter(processingEnv.getTypeUtils());
    for (InterfaceModel model : models) {
      try {
        // one kind per interface: a listener (subscribe), a queue (client, work, admin), a session store
        // (store), handles only (of), or a proxy (wrap)
        GeneratedClass kind = ListenerWriter.applies(model) ? listeners : QueueWriter.applies(model) ? queues
            : StoreWriter.applies(model) ? stores : HandlesWriter.applies(model) ? handles : proxies;
        kind.write(model).writeTo(processingEnv.getFiler());
      } catch (IOException | RuntimeException e) {
        diagnostics.internal(model.element(), e);
      }
    }
  }

  /** {@code @Delay} and {@code @At} only mean something on a {@code @Queued} method. */
  private void checkTiming(RoundEnvironment round, QueueValidator validator) {
    for (String name : List.of(QueueReader.DELAY, QueueReader.AT)) {
      TypeElement annotation = processingEnv.getElementUtils().getTypeElement(name);
      if (annotation == null) {
        continue;
      }
      for (Element p : round.getElementsAnnotatedWith(annotation)) {
        if (p.getEnclosingElement() instanceof ExecutableElement) {
          validator.checkTiming(p);
        }
      }
    }
  }

  /** {@code @Payload} only means something on a {@code @Publishes} method. */
  private void checkPayloads(RoundEnvironment round, Diagnostics diagnostics) {
    TypeElement payload = processingEnv.getElementUtils().getTypeElement(EventReader.PAYLOAD);
    if (payload == null) {
      return;
    }
    for (Element p : round.getElementsAnnotatedWith(payload)) {
      Element method = p.getEnclosingElement();
      if (method instanceof ExecutableElement && Mirrors.find(method, EventReader.PUBLISHES) == null) {
        diagnostics.payloadWithoutPublishes(p);
      }
    }
  }

  /**
   * Adds {@code e} and the interfaces nested in it that declare no Redwire annotation but inherit
   * annotated methods, when a class generated beside them could implement them (others are left
   * alone silently: they did not ask for a proxy).
   */
  private void collectInheriting(Element e, InterfaceReader reader, InterfaceValidator validator,
      Set<TypeElement> interfaces) {
    if (!(e instanceof TypeElement type)) {
      return;
    }
    if (type.getKind() == ElementKind.INTERFACE && !interfaces.contains(type)
        && validator.implementable(type) && reader.inheritsAnnotatedMethods(type, METHOD_ANNOTATIONS)) {
      interfaces.add(type);
    }
    for (Element member : type.getEnclosedElements()) {
      collectInheriting(member, reader, validator, interfaces);
    }
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
