package io.redwire.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.redwire.processor.model.InterfaceModel;
import io.redwire.processor.model.MethodModel;
import io.redwire.processor.model.Param;
import io.redwire.processor.model.QueueSpec;
import io.redwire.processor.model.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * The queue kind: for an interface of {@code @Queued} methods, {@code Redwire<Interface>} is three
 * things in one file:
 *
 * <ul>
 *   <li>the <b>client</b>, {@code client(redwire)}: implements the interface; each method encodes its
 *       arguments (behind the value header of the job's fingerprint), builds the unique key if any, and
 *       enqueues in one round trip;
 *   <li>the <b>workers</b>, {@code work(delegate, redwire, concurrency | options)}: a nested
 *       {@code Workers} class holding one {@code QueueWorker} per queue, and per job a method written by
 *       the proxy's steps (rate limit, then lock) around the delegate call, so {@code @RateLimited} and
 *       {@code @Locked} apply when the job runs;
 *   <li>the <b>admin API</b>, {@code admin(redwire)} (one queue) or {@code <method>Admin(redwire)}
 *       (several): a typed {@code QueueAdmin}.
 * </ul>
 *
 * <p>Per job, a nested {@code <Method>Job} class reads the arguments (the value header, then each
 * argument's codec) and runs the job's method; a nested {@code JobDecoder} picks it by the job's name.
 */
public final class QueueWriter extends GeneratedClass {

  static final String PACKAGE = RUNTIME + ".queue";
  static final ClassName SETTINGS = ClassName.get(PACKAGE, "QueueSettings");
  static final ClassName JOB_QUEUE = ClassName.get(PACKAGE, "JobQueue");
  static final ClassName QUEUE_WORKER = ClassName.get(PACKAGE, "QueueWorker");
  static final ClassName WORKER = ClassName.get(PACKAGE, "Worker");
  static final ClassName OPTIONS = ClassName.get(PACKAGE, "WorkOptions");
  static final ClassName ADMIN = ClassName.get(PACKAGE, "QueueAdmin");
  static final ClassName JOB = ClassName.get(PACKAGE, "Job");
  static final ClassName JOB_CODEC = ClassName.get(PACKAGE, "JobCodec");
  static final ClassName CODEC = ClassName.get(RUNTIME + ".codec", "Codec");
  static final ClassName CODECS = ClassName.get(RUNTIME + ".codec", "Codecs");
  static final ClassName OUTPUT = ClassName.get(RUNTIME + ".codec", "Output");
  static final ClassName INPUT = ClassName.get(RUNTIME + ".codec", "Input");
  static final ClassName VALUES = ClassName.get(RUNTIME + ".codec", "Values");
  static final ClassName LIST = ClassName.get("java.util", "List");
  static final ClassName ARRAY_LIST = ClassName.get("java.util", "ArrayList");
  /** The claim kind of a queue. */
  static final String QUEUE = "queue";

  private final Types types;

  public QueueWriter(Types types) {
    this.types = types;
  }

  /** Whether {@code model} gets this kind: it has a {@code @Queued} method (validation keeps it pure). */
  public static boolean applies(InterfaceModel model) {
    return model.methods().stream().anyMatch(m -> m.queued() != null);
  }

  @Override
  String javadoc() {
    return "Redwire job queue for {@link $T}: enqueue with {@link #client}, run jobs with {@link #work},"
        + " inspect with the admin API.\n";
  }

  @Override
  List<String> reservedMembers() {
    return new ArrayList<>(List.of("redwire", "delegate", "client", "work", "admin", "claims", "Workers",
        "JobDecoder"));
  }

  /** The worker's steps, in the proxy's rank order: rate limit, then lock. */
  @Override
  List<Step> steps(ClassContext c) {
    return List.of();
  }

  /** What the writer names for one queued method. */
  private record Job(MethodModel model, QueueSpec spec, String name, String fingerprint, List<String> codecs,
      ClassName type) {}

  @Override
  void body(ClassContext c, List<Step> ignored) {
    InterfaceModel model = c.model();
    TypeName iface = interfaceType(model);
    ClassName workers = c.self().nestedClass("Workers");
    ClassName decoder = c.self().nestedClass("JobDecoder");
    c.cls().addSuperinterface(iface);

    // queues: one settings constant and one producer field each, in order of first use
    Map<String, String> settings = new LinkedHashMap<>();
    Map<String, String> producers = new LinkedHashMap<>();
    Map<String, MethodModel> firstOfQueue = new LinkedHashMap<>();
    Map<String, StringBuilder> shapes = new LinkedHashMap<>();
    List<Job> jobs = new ArrayList<>();
    List<FieldSpec> argCodecs = new ArrayList<>(); // after the codecs they use
    for (MethodModel m : model.methods()) {
      QueueSpec q = m.queued();
      if (q == null) {
        continue;
      }
      if (!settings.containsKey(q.queue())) {
        String constant = c.members().newName(ProxyWriter.constant(model.localName(q.queue())) + "_QUEUE");
        settings.put(q.queue(), constant);
        producers.put(q.queue(), c.members().newName(ProxyWriter.identifier(model.localName(q.queue())) + "Queue"));
        firstOfQueue.put(q.queue(), m);
        shapes.put(q.queue(), new StringBuilder("attempts=" + q.maxAttempts() + ";backoff=" + q.backoffMillis()
            + ";timeout=" + q.timeoutMillis() + ";jobs="));
        c.cls().addField(FieldSpec.builder(SETTINGS, constant, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("new $T($S, $L, $LL, $LL)", SETTINGS, q.queue(), q.maxAttempts(), q.backoffMillis(),
                q.timeoutMillis())
            .build());
      }
      StringBuilder shape = shapes.get(q.queue());
      if (shape.charAt(shape.length() - 1) != '=') {
        shape.append(',');
      }
      long fp = q.fingerprint(m.name());
      shape.append(m.name()).append('#').append(Long.toHexString(fp));
      String constant = ProxyWriter.constant(m.name());
      String name = c.members().newName(constant + "_JOB");
      String fingerprint = c.members().newName(constant + "_FINGERPRINT");
      c.cls().addField(FieldSpec.builder(String.class, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .initializer("$S", m.name())
          .build());
      StringBuilder argShapes = new StringBuilder();
      for (ValueType v : q.args()) {
        argShapes.append(argShapes.length() == 0 ? "" : ", ").append(v.shape());
      }
      c.cls().addField(FieldSpec.builder(TypeName.LONG, fingerprint, Modifier.PRIVATE, Modifier.STATIC,
              Modifier.FINAL)
          .addJavadoc("Shape of the arguments ($L); a job of another shape is dead, never misread.\n",
              argShapes.toString().replace("$", "$$"))
          .initializer("0x$LL", Long.toHexString(fp))
          .build());
      List<String> codecs = new ArrayList<>();
      for (int i = 0; i < m.params().size(); i++) {
        Param p = m.params().get(i);
        ValueType v = q.args().get(i);
        if (v instanceof ValueType.Primitive) {
          codecs.add(null); // written and read as is, unboxed: Output.writeX / Input.readX
          continue;
        }
        String field = c.members().newName(constant + "_" + ProxyWriter.constant(p.name()) + "_CODEC");
        CodeBlock codec = c.codecs().codec(v);
        argCodecs.add(FieldSpec.builder(ParameterizedTypeName.get(CODEC, TypeName.get(p.type()).box()), field,
                Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer(CodeBlock.of("$T.nullable($L)", CODECS, codec))
            .build());
        codecs.add(field);
      }
      ClassName type = c.self().nestedClass(c.members().newName(ProxyWriter.capitalized(m.name()) + "Job"));
      jobs.add(new Job(m, q, name, fingerprint, codecs, type));
    }

    // the claims, shared by the client and the workers
    MethodSpec.Builder claims = MethodSpec.methodBuilder("claims")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addParameter(REDWIRE, "redwire");
    for (Map.Entry<String, StringBuilder> e : shapes.entrySet()) {
      c.claims().claim(QUEUE, e.getKey(), e.getValue().toString());
    }
    c.claims().addTo(c.cls(), claims);
    c.cls().addMethod(claims.build());

    // the client
    c.cls().addField(FieldSpec.builder(REDWIRE, "redwire", Modifier.PRIVATE, Modifier.FINAL).build());
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(REDWIRE, "redwire")
        .addStatement("this.redwire = $T.requireNonNull(redwire, $S)", OBJECTS, "redwire")
        .addStatement("claims(redwire)");
    for (Map.Entry<String, String> e : producers.entrySet()) {
      c.cls().addField(FieldSpec.builder(JOB_QUEUE, e.getValue(), Modifier.PRIVATE, Modifier.FINAL).build());
      ctor.addStatement("this.$N = $T.of(redwire, $N)", e.getValue(), JOB_QUEUE, settings.get(e.getKey()));
    }
    c.cls().addMethod(ctor.build());
    c.cls().addMethod(MethodSpec.methodBuilder("client")
        .addJavadoc("Returns a {@link $T} whose calls enqueue their job and return at once (one round trip"
            + " each); no I/O here.\n", ClassName.get(model.element()))
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(iface)
        .addParameter(REDWIRE, "redwire")
        .addStatement("return new $T(redwire)", c.self())
        .build());
    c.cls().addMethod(MethodSpec.methodBuilder("work")
        .addJavadoc("Runs the jobs of {@link $T} with {@code delegate}, {@code concurrency} at once per queue,"
            + " on background threads; returns at once. Close the worker (or {@code redwire}) to stop.\n",
            ClassName.get(model.element()))
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(WORKER)
        .addParameter(iface, "delegate")
        .addParameter(REDWIRE, "redwire")
        .addParameter(TypeName.INT, "concurrency")
        .addStatement("return new $T(delegate, redwire, $T.concurrency(concurrency))", workers, OPTIONS)
        .build());
    c.cls().addMethod(MethodSpec.methodBuilder("work")
        .addJavadoc("Like {@link #work($T, $T, int)}, with run-time options (lease, close wait, consumer name).\n",
            iface, REDWIRE)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(WORKER)
        .addParameter(iface, "delegate")
        .addParameter(REDWIRE, "redwire")
        .addParameter(OPTIONS, "options")
        .addStatement("return new $T(delegate, redwire, options)", workers)
        .build());
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String method = settings.size() == 1 ? "admin"
          : c.members().newName(ProxyWriter.identifier(firstOfQueue.get(e.getKey()).name()) + "Admin");
      c.cls().addMethod(MethodSpec.methodBuilder(method)
          .addJavadoc("The admin API of queue {@code $L}: counts, dead jobs with their arguments, retry,"
              + " purge. No I/O here.\n", e.getKey())
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .returns(ParameterizedTypeName.get(ADMIN, iface))
          .addParameter(REDWIRE, "redwire")
          .addStatement("return $T.of(redwire, $N, new $T(null))", ADMIN, e.getValue(), decoder)
          .build());
    }
    for (Job j : jobs) {
      c.cls().addMethod(enqueue(c, j, producers.get(j.spec().queue())));
    }

    // the workers
    c.cls().addType(workers(c, workers, decoder, iface, jobs, settings));
    c.cls().addType(decoder(decoder, workers, jobs));
    for (Job j : jobs) {
      c.cls().addType(jobClass(j, workers));
    }
    c.keys().addFields(c.cls());
    c.codecs().addTo(c.cls());
    argCodecs.forEach(c.cls()::addField);
  }

  /** The client's method: encode, key, enqueue. */
  private MethodSpec enqueue(ClassContext c, Job j, String producer) {
    MethodContext mc = overriding(c, j.model(), types);
    MethodSpec.Builder method = mc.method();
    method.addStatement("this.redwire.ensureOpen()");
    String out = mc.names().newName("job");
    method.addStatement("$T $N = $T.begin($N)", OUTPUT, out, JOB_QUEUE, j.fingerprint());
    for (int i = 0; i < j.model().params().size(); i++) {
      Param p = j.model().params().get(i);
      if (j.spec().args().get(i) instanceof ValueType.Primitive prim) {
        method.addStatement("$N.write$L($N)", out, CodecWriter.primitiveSuffix(prim.kind()), p.name());
      } else {
        method.addStatement("$N.write($N, $N)", j.codecs().get(i), out, p.name());
      }
    }
    CodeBlock unique = CodeBlock.of("null");
    if (j.spec().unique() != null) {
      String key = c.keys().build(method, CodeBlock.of("$T.UNIQUE", JOB_QUEUE), j.spec().unique(), mc.names(),
          "uniqueKey");
      unique = CodeBlock.of("$N", key);
    }
    if (j.spec().delay() != null) {
      method.addStatement("this.$N.enqueueIn($N, $N, $N, $L)", producer, j.name(), out, j.spec().delay().name(),
          unique);
    } else if (j.spec().at() != null) {
      method.addStatement("this.$N.enqueueAt($N, $N, $N, $L)", producer, j.name(), out, j.spec().at().name(),
          unique);
    } else {
      method.addStatement("this.$N.enqueue($N, $N, $L)", producer, j.name(), out, unique);
    }
    return method.build();
  }

  /** The nested {@code Workers}: the queue workers, and per job the steps around the delegate call. */
  private TypeSpec workers(ClassContext top, ClassName self, ClassName decoder, TypeName iface, List<Job> jobs,
      Map<String, String> settings) {
    TypeSpec.Builder cls = TypeSpec.classBuilder(self)
        .addJavadoc("The running workers of {@link $T}.\n", ClassName.get(top.model().element()))
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(WORKER);
    ClassContext c = new ClassContext(top.model(), self, cls, CodeBlock.builder(),
        new Claims(top.model(), top.members()), top.members(), top.keys(), top.codecs());
    List<Step> steps = List.of(new RateLimitMethods(c), new LockMethods(c));
    cls.addField(FieldSpec.builder(iface, "delegate", Modifier.PRIVATE, Modifier.FINAL).build());
    cls.addField(FieldSpec.builder(REDWIRE, "redwire", Modifier.PRIVATE, Modifier.FINAL).build());
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder()
        .addParameter(iface, "delegate")
        .addParameter(REDWIRE, "redwire")
        .addParameter(OPTIONS, "options")
        .addStatement("this.delegate = $T.requireNonNull(delegate, $S)", OBJECTS, "delegate")
        .addStatement("this.redwire = $T.requireNonNull(redwire, $S)", OBJECTS, "redwire")
        .addStatement("$T.requireNonNull(options, $S)", OBJECTS, "options")
        .addStatement("claims(redwire)");
    for (Step s : steps) {
      s.fields(c);
    }
    c.claims().addTo(cls, ctor); // the rate limits' and locks' names, before they are built
    ctor.addCode(c.constructor().build());
    List<String> fields = new ArrayList<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String field = top.members().newName(ProxyWriter.identifier(top.model().localName(e.getKey())) + "Worker");
      fields.add(field);
      cls.addField(FieldSpec.builder(QUEUE_WORKER, field, Modifier.PRIVATE, Modifier.FINAL).build());
      ctor.addStatement("this.$N = $T.start(redwire, $N, new $T(this), options)", field, QUEUE_WORKER,
          e.getValue(), decoder);
    }
    cls.addMethod(ctor.build());
    for (Job j : jobs) {
      cls.addMethod(runMethod(c, j, steps));
    }
    MethodSpec.Builder close = MethodSpec.methodBuilder("close")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC);
    for (String f : fields) {
      close.addStatement("this.$N.close()", f);
    }
    cls.addMethod(close.build());
    for (Step s : steps) {
      s.finish(c);
    }
    return cls.build();
  }

  /** {@code void <method>(args)}: rate limit, lock, then the delegate's method. */
  private MethodSpec runMethod(ClassContext c, Job j, List<Step> steps) {
    MethodModel m = j.model();
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name());
    for (Param p : m.params()) {
      method.addParameter(TypeName.get(p.type()), p.name());
    }
    for (TypeMirror thrown : m.type().getThrownTypes()) {
      method.addException(TypeName.get(thrown));
    }
    com.palantir.javapoet.NameAllocator names = new com.palantir.javapoet.NameAllocator();
    for (Param p : m.params()) {
      names.newName(p.name(), p);
    }
    MethodContext mc = new MethodContext(c, m, method, names);
    for (Step s : steps) {
      s.before(mc);
    }
    List<Step.Closer> closers = new ArrayList<>();
    for (Step s : steps) {
      Step.Closer closer = s.around(mc);
      if (closer != null) {
        closers.add(closer);
      }
    }
    method.addStatement("this.delegate.$L($L)", m.name(), ProxyWriter.arguments(m));
    for (int i = closers.size() - 1; i >= 0; i--) {
      closers.get(i).close(mc);
    }
    return method.build();
  }

  /** The nested {@code JobDecoder}: the job class for a job's name. */
  private static TypeSpec decoder(ClassName self, ClassName workers, List<Job> jobs) {
    MethodSpec.Builder decode = MethodSpec.methodBuilder("decode")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(JOB)
        .addParameter(String.class, "job")
        .addParameter(INPUT, "in")
        .beginControlFlow("switch (job)");
    for (Job j : jobs) {
      decode.addStatement("case $S: return new $T(this.workers, in)", j.model().name(), j.type());
    }
    decode.addStatement("default: return null").endControlFlow();
    return TypeSpec.classBuilder(self)
        .addJavadoc("Reads a job by its name; without workers (the admin API) its jobs only list their"
            + " arguments.\n")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(JOB_CODEC)
        .addField(workers, "workers", Modifier.PRIVATE, Modifier.FINAL)
        .addMethod(MethodSpec.constructorBuilder()
            .addParameter(workers, "workers")
            .addStatement("this.workers = workers")
            .build())
        .addMethod(decode.build())
        .build();
  }

  /** A nested {@code <Method>Job}: the arguments, read in the constructor; {@code run} calls the method. */
  private static TypeSpec jobClass(Job j, ClassName workers) {
    MethodModel m = j.model();
    TypeSpec.Builder cls = TypeSpec.classBuilder(j.type())
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(JOB)
        .addField(workers, "workers", Modifier.PRIVATE, Modifier.FINAL);
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder()
        .addParameter(workers, "workers")
        .addParameter(INPUT, "in")
        .addStatement("$T.readHeader(in, $N)", VALUES, j.fingerprint())
        .addStatement("this.workers = workers");
    MethodSpec.Builder args = MethodSpec.methodBuilder("args")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(ParameterizedTypeName.get(LIST, ClassName.OBJECT))
        .addStatement("$T<$T> args = new $T<>($L)", LIST, Object.class, ARRAY_LIST, m.params().size());
    for (int i = 0; i < m.params().size(); i++) {
      Param p = m.params().get(i);
      cls.addField(TypeName.get(p.type()), p.name(), Modifier.PRIVATE, Modifier.FINAL);
      if (j.spec().args().get(i) instanceof ValueType.Primitive prim) {
        ctor.addStatement("this.$N = in.read$L()", p.name(), CodecWriter.primitiveSuffix(prim.kind()));
      } else {
        ctor.addStatement("this.$N = $N.read(in)", p.name(), j.codecs().get(i));
      }
      args.addStatement("args.add(this.$N)", p.name());
    }
    args.addStatement("return args");
    List<CodeBlock> call = new ArrayList<>();
    for (Param p : m.params()) {
      call.add(CodeBlock.of("this.$N", p.name()));
    }
    return cls.addMethod(ctor.build())
        .addMethod(MethodSpec.methodBuilder("run")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .addException(Exception.class)
            .addStatement("this.workers.$N($L)", m.name(), CodeBlock.join(call, ", "))
            .build())
        .addMethod(args.build())
        .build();
  }
}
