package io.redwire.processor.validate;

import io.redwire.processor.model.Origin;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Every message the processor can print, in one place. Each is tagged and follows one form:
 * {@code [Redwire/Code] rule; what was found. fix.} and is reported on the narrowest element or
 * annotation value.
 */
public final class Diagnostics {

  private final Messager messager;
  private final java.util.Set<List<Object>> printed = new java.util.HashSet<>();
  private int errors;

  public Diagnostics(Messager messager) {
    this.messager = messager;
  }

  /** How many errors were reported so far; nothing is generated once this is above zero. */
  public int errors() {
    return errors;
  }

  // ---------------------------------------------------------------- where annotations may go

  public void notOnInterface(Element method, String annotation) {
    error(Origin.of(method), null, "NotOnInterface",
        "@%s applies to methods of interfaces; %s is declared in %s %s. Move the method to an interface"
            + " and implement it in the class you wrap.",
        annotation, describe(method), kindOf(method.getEnclosingElement()),
        method.getEnclosingElement().getSimpleName());
  }

  public void staticOrPrivate(Element method, String annotation) {
    error(Origin.of(method), null, "MethodNotOverridable",
        "@%s needs a method the generated class can implement; %s is %s. Make it an abstract or default"
            + " interface method.",
        annotation, describe(method), method.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)
            ? "static" : "private");
  }

  public void interfaceNotAccessible(TypeElement type, String why) {
    error(Origin.of(type), null, "InterfaceNotAccessible",
        "the generated class must implement %s from its package; %s. Make the interface public or"
            + " package-private and top-level or static-nested.",
        type.getQualifiedName(), why);
  }

  public void interfaceSealed(TypeElement type) {
    error(Origin.of(type), null, "InterfaceSealed",
        "the generated class implements the interface; %s is sealed and does not permit it. Remove"
            + " 'sealed' or wrap a non-sealed interface.",
        type.getQualifiedName());
  }

  // ---------------------------------------------------------------- durations and names

  public void durationMissing(Origin at, String annotation, String member) {
    error(at, member, "DurationMissing",
        "@%s needs %s; %s leaves it empty. Write a duration such as %s = \"10m\".",
        annotation, member, describe(at.element()), member);
  }

  public void durationInvalid(Origin at, String annotation, String member, String text) {
    error(at, member, "Duration",
        "@%s(%s) must be a positive duration; found \"%s\". Use a number with ms, s, m, h or d"
            + " (\"250ms\", \"30s\", \"10m\", \"2h\", \"1d\") or ISO-8601 such as \"PT10M\".",
        annotation, member, text);
  }

  public void durationTooLarge(Origin at, String annotation, String member, String text, boolean overflows) {
    error(at, member, "DurationTooLarge",
        "@%s(%s) can be at most %s; \"%s\" is too large%s. Use a shorter duration.",
        annotation, member, io.redwire.processor.read.Durations.MAX_TEXT, text,
        overflows ? " (it overflows a 64-bit count of milliseconds)" : "");
  }

  public void nameInvalid(Origin at, String annotation, String name) {
    error(at, "name", "Name",
        "@%s names may hold letters, digits, '.', '_' and '-'; found \"%s\". Rename it.",
        annotation, name);
  }

  // ---------------------------------------------------------------- key templates

  public void keySyntax(Origin at, String member, String template, String problem) {
    error(at, member, "KeySyntax",
        "key templates are text with {name} or {name.component} placeholders; \"%s\" %s. Fix the"
            + " template.",
        template, problem);
  }

  public void keyUnknownName(Origin at, String member, String placeholder, String name, String where,
      Collection<String> candidates) {
    String closest = closest(name, candidates);
    String fix = closest != null
        ? "Did you mean {" + placeholder.substring(0, placeholder.length() - name.length()) + closest + "}?"
        : candidates.isEmpty()
            ? "There is nothing to name there."
            : "Use one of: " + String.join(", ", sorted(candidates)) + ".";
    error(at, member, "KeyUnknownName",
        "key placeholders name %s; {%s} names '%s', which %s does not have. %s",
        where.startsWith("parameters") ? "parameters" : "record components or no-arg accessors",
        placeholder, name, where, fix);
  }

  public void keyPartCollection(Origin at, String member, String placeholder, String type, boolean implicit,
      Collection<String> scalars) {
    String fix = scalars.isEmpty()
        ? "Give the method a scalar parameter to key by (one id rather than many), or write a key that"
            + " names no collection."
        : "Write a key that names scalar parameters only, e.g. key = \"" + scalars.stream()
            .map(n -> "{" + n + "}").collect(Collectors.joining(":")) + "\".";
    error(at, member, "KeyPartType",
        "key parts must be primitives, boxes, strings, enums, UUID, BigInteger, BigDecimal or java.time"
            + " values, and collections, arrays and maps cannot be key parts; %s{%s} is a %s. %s",
        implicit ? "the default key uses every parameter, and " : "", placeholder, type, fix);
  }

  public void keyPartType(Origin at, String member, String placeholder, String type) {
    error(at, member, "KeyPartType",
        "key parts must be primitives, boxes, strings, enums, UUID, BigInteger, BigDecimal or java.time"
            + " values; {%s} is a %s. Name one of its components instead, e.g. {%s.id}.",
        placeholder, type, placeholder);
  }

  public void keyAdjacent(Origin at, String member, String template, String left, String right,
      String between, String fixed) {
    error(at, member, "KeyAdjacent",
        "two key placeholders must be separated by text containing ':' so no two argument tuples share"
            + " a key; \"%s\" %s. Write \"%s\".",
        template, between.isEmpty()
            ? "has nothing between {" + left + "} and {" + right + "}"
            : "separates {" + left + "} and {" + right + "} by \"" + between + "\", which has no ':'",
        fixed);
  }

  public void keyShape(Origin at, String annotation, String cache, String cacheShape, String shape) {
    error(at, "key", "KeyShape",
        "@%s must address the keys of cache \"%s\", whose key is %s; this key is %s. Write a key with the"
            + " same text and part types.",
        annotation, cache, cacheShape, shape);
  }

  // ---------------------------------------------------------------- caching

  public void nearSize(Origin at, int near) {
    error(at, "near", "NearSize",
        "@Cached(near) is the near cache's size in entries, 0 for none; found %d. Use a positive size"
            + " such as near = 10000, or remove near.", near);
  }

  public void nearMutable(Origin at, String type, String what) {
    warning(at, "near", "NearMutable",
        "a near cache hands one decoded value to every caller, so it must be immutable; %s returns %s,"
            + " which holds %s. Use an immutable type (records, enums, Strings, Lists instead of arrays) or"
            + " remove near.", describe(at.element()), type, what);
  }

  public void cachedVoid(Origin at) {
    ExecutableElement m = (ExecutableElement) at.element();
    error(at, null, "CachedVoid",
        "@Cached methods must return a value; %s returns %s. Remove @Cached or return the value to"
            + " cache.",
        describe(m), m.getReturnType());
  }

  public void jitterRange(Origin at, int jitter) {
    error(at, "jitter", "Jitter",
        "@Cached(jitter) is a percentage from 0 to 100; found %d. Use a value such as 10.", jitter);
  }

  public void nullTtlWithoutNulls(Origin at) {
    error(at, "nullTtl", "NullTtlWithoutNulls",
        "@Cached(nullTtl) applies only to cached nulls; this method has nulls = false. Add nulls = true"
            + " or remove nullTtl.");
  }

  public void nullsOnPrimitive(Origin at, String type) {
    error(at, "nulls", "NullsOnPrimitive",
        "@Cached(nulls = true) caches null results; %s returns %s, which is never null. Remove nulls.",
        describe(at.element()), type);
  }

  public void duplicateCacheName(Origin at, String name, Element first) {
    error(at, "name", "CacheNameDuplicate",
        "cache names must be unique in an interface; \"%s\" is also the cache of %s. Give one of them"
            + " another name.",
        name, describe(first));
  }

  public void cacheNameMissing(Origin at, String annotation) {
    error(at, "name", "CacheNameMissing",
        "@%s must name the cache it writes; %s leaves name empty. Write name = \"<the @Cached name>\".",
        annotation, describe(at.element()));
  }

  public void cacheNameUnknown(Origin at, String annotation, String name, Collection<String> caches) {
    String closest = closest(name, caches);
    error(at, "name", "CacheNameUnknown",
        "@%s must name a @Cached method's cache in the same interface; there is no cache \"%s\". %s",
        annotation, name,
        closest != null ? "Did you mean \"" + closest + "\"?"
            : caches.isEmpty() ? "Add @Cached to the method whose results it should write."
            : "Caches here: " + String.join(", ", sorted(caches)) + ".");
  }

  public void evictAllWithKey(Origin at) {
    error(at, "key", "EvictAllWithKey",
        "@CacheEvict(all = true) clears the whole cache and takes no key; found key = \"%s\". Remove"
            + " the key or all = true.",
        at.value("key") == null ? "" : at.value("key").getValue());
  }

  public void putVoid(Origin at) {
    error(at, null, "CachePutVoid",
        "@CachePut stores the method's result; %s returns void. Return the value to store or use"
            + " @CacheEvict.",
        describe(at.element()));
  }

  public void putType(Origin at, String cache, String cacheType, String found) {
    error(at, null, "CachePutType",
        "@CachePut must return the value type of cache \"%s\" (%s); %s returns %s. Return %s.",
        cache, cacheType, describe(at.element()), found, cacheType);
  }

  public void conflict(Origin at, String first, String second) {
    error(at, null, "Conflict",
        "a method is either read through a cache or writes one; %s has both @%s and @%s. Keep one.",
        describe(at.element()), first, second);
  }

  /** {@code reason} says what is wrong and how to fix it, once (see {@code ValueTypeReader}). */
  public void noCodec(Origin at, String type, String reason) {
    error(at, null, "NoCodec",
        "stored values need a codec Redwire can generate or a codec named with @UseCodec; %s.",
        reason.isEmpty() ? type + " has none; store a record, enum or supported type, or annotate the"
            + " type or method with @UseCodec(YourCodec.class)" : reason);
  }

  public void evictWithoutKey(Origin at, String cache, String cacheShape) {
    error(at, null, "KeyShape",
        "@CacheEvict must address the keys of cache \"%s\", whose key is %s; %s has no parameters to"
            + " build such a key from. Write all = true to clear the whole cache, or give the method the"
            + " key's parameters.",
        cache, cacheShape, describe(at.element()));
  }

  // ---------------------------------------------------------------- bulk cached methods

  public void bulkReturn(Origin at, String found) {
    error(at, null, "BulkReturn",
        "a bulk @Cached method returns a Map<K, V> of the ids it was given; %s returns %s. Declare the"
            + " return type as java.util.Map<K, V>, without Optional, a future, a wildcard or a map class.",
        describe(at.element()), simpleType(found));
  }

  public void bulkParameter(Origin at, String method, String found) {
    error(at, null, "BulkParameter",
        "a bulk @Cached method takes its ids as a Set<K>, List<K> or Collection<K> of one key type; %s"
            + " takes %s. Name the id type, e.g. Set<Long>, without a wildcard.",
        method, simpleType(found));
  }

  public void bulkKeyType(Origin at, String ids, String keys) {
    error(at, null, "BulkKeyType",
        "a bulk @Cached method returns a map keyed by the ids it takes; %s takes ids of type %s and"
            + " returns a map keyed by %s. Use the same type for both.",
        describe(at.element()), simpleType(ids), simpleType(keys));
  }

  public void bulkKeyConstant(Origin at, String template, String ids) {
    error(at, "key", "BulkKey",
        "in a bulk @Cached method each placeholder of the key stands for one id of {%s}; \"%s\" names none,"
            + " so every id would share one entry. Write a key such as \"{%s}\", or name a component of the"
            + " id such as \"{%s.id}\".",
        ids, template, ids, ids);
  }

  public void bulkRefresh(Origin at) {
    error(at, "refresh", "BulkRefresh",
        "a bulk @Cached method loads the entries XFetch picks together with its misses (refresh = EARLY)"
            + " or lets them expire (NONE); %s asks for refresh = BACKGROUND, which needs a loader per"
            + " entry. Use refresh = EARLY or NONE.",
        describe(at.element()));
  }

  public void bulkShare(Origin at, String name, Element first, String differences) {
    error(at, "name", "BulkShare",
        "a bulk method and the methods it shares a cache with read and write the same entries, so they"
            + " must agree on its value type, key and settings; \"%s\" is also the cache of %s, and they"
            + " differ in %s. Make them agree, or give one of them another name.",
        name, describe(first), differences);
  }

  // ---------------------------------------------------------------- locks

  public void lockedAsync(Origin at, String type) {
    error(at, null, "LockedAsync",
        "@Locked holds the lock while the method runs on the calling thread; %s returns %s, which"
            + " completes later, after the lock would be released. Return the value itself, or lock"
            + " inside the asynchronous task.",
        describe(at.element()), simpleType(type));
  }

  public void lockSkipNonNull(Origin at, String type) {
    error(at, "onBusy", "LockSkipNoEmpty",
        "@Locked(onBusy = SKIP) returns the return type's empty value when the lock is busy; %s returns"
            + " %s, declared non-null, whose only empty value is null. Return void, a primitive, an"
            + " Optional or a collection, or use onBusy = THROW.",
        describe(at.element()), simpleType(type));
  }

  public void lockNotShared(Origin at, String template, String name, Element first, String firstName) {
    warning(at, "key", "LockNotShared",
        "locks exclude each other by name and key, and default names differ per method; %s and %s both"
            + " lock key \"%s\" but as locks \"%s\" and \"%s\", so they do not exclude each other. Give"
            + " both name = \"...\" (the same name) if they guard the same thing, or different key text"
            + " if they do not.",
        describe(first), describe(at.element()), template, firstName, name);
  }

  public void lockKeyShape(Origin at, String name, String shape, Element first, String firstShape) {
    error(at, "key", "LockKeyShape",
        "methods that share a lock name lock the same keys, so their keys must have one shape; lock"
            + " \"%s\" of %s has key %s, this key is %s. Write a key of the same shape or give this lock"
            + " another name.",
        name, describe(first), firstShape, shape);
  }

  // ---------------------------------------------------------------- leaderboards and counters

  public void handleType(Origin at, String annotation, String handle, String found) {
    error(at, null, "HandleType",
        "@%s methods return the handle %s that their parameters select; %s returns %s. Return %s.",
        annotation, handle, describe(at.element()), simpleType(found), handle);
  }

  public void handleAlone(Origin at, String annotation, String other) {
    error(at, null, "HandleAlone",
        "@%s methods return a handle and never call the delegate, so nothing is there to %s; %s has"
            + " both. Remove @%s, or apply it to the method that uses the handle.",
        annotation, other.equals("RateLimited") ? "rate limit" : other.equals("Locked") ? "lock" : "cache",
        describe(at.element()), other);
  }

  public void handleTwice(Origin at) {
    error(at, null, "HandleTwice",
        "a method returns one handle; %s has more than one of @Leaderboard, @Counter and @Distinct."
            + " Keep one.",
        describe(at.element()));
  }

  public void boardMember(Origin at, String member) {
    error(at, null, "BoardMember",
        "board members are stored with an ordered, printable codec; %s is not one of String, Long,"
            + " Integer, UUID or an enum. Rank by one of those (an id, say) and look the rest up.",
        simpleType(member));
  }

  public void boardZone(Origin at, String zone) {
    error(at, "zone", "BoardZone",
        "@Leaderboard(zone) is a time-zone id such as \"Europe/Paris\" or \"UTC\"; found \"%s\". Use an"
            + " id from the IANA time-zone database.",
        zone);
  }

  public void boardImmortal(Origin at) {
    error(at, "period", "BoardImmortal",
        "every board expires: a board with a period expires after its period, one without a period"
            + " after ttl; %s has neither. Add period = \"week\" (or \"day\", \"month\", a duration"
            + " such as \"7d\") or ttl = \"30d\".",
        describe(at.element()));
  }

  public void boardFirstComeWithoutPeriod(Origin at) {
    error(at, "ties", "BoardFirstComeNeedsPeriod",
        "first-come ties fold the time into the period into each stored score, so they need a period;"
            + " %s has none. Add period = \"week\" (or another period), or use ties = Ties.SHARED.",
        describe(at.element()));
  }

  public void boardRange(Origin at, long maxScore, String period, long largestScore, String largestPeriod) {
    error(at, "maxScore", "BoardRange",
        "a first-come board stores score x period-in-ms + time into the period, which must stay below"
            + " 2^53 to be exact; scores up to %d with a period of %s do not fit. With this period the"
            + " largest score that fits is %d; for scores up to %d the longest period that fits is %s.",
        maxScore, period, largestScore, maxScore, largestPeriod);
  }

  public void boardMaxScore(Origin at, long maxScore) {
    error(at, "maxScore", "BoardRange",
        "scores are exact below 2^53 (9007199254740992); found maxScore = %d. Use a positive value"
            + " below 2^53, or 0 for the largest that fits.",
        maxScore);
  }

  public void boardKeep(Origin at, long keep) {
    error(at, "keep", "BoardKeep",
        "@Leaderboard(keep) is how many of the best members a write keeps; found %d. Use 0 to keep"
            + " everyone, or a positive count.",
        keep);
  }

  public void counterWindows(Origin at, String annotation, long max, String retain, String window, long found) {
    error(at, "retain", "CounterWindows",
        "@%s keeps at most %d windows, since a sum over them is one command that Redis runs while every"
            + " other client waits; retain = \"%s\" with window = \"%s\" keeps %d. Use a longer window"
            + " or a shorter retain.",
        annotation, max, retain, window, found);
  }

  public void counterRetain(Origin at, String annotation, String retain, String window) {
    error(at, "retain", "CounterRetain",
        "@%s(retain) keeps whole windows, so it must be at least one window; found retain = \"%s\" with"
            + " window = \"%s\". Make retain at least the window.",
        annotation, retain, window);
  }

  // ---------------------------------------------------------------- sessions

  public void sessionNotInterface(Element type) {
    error(Origin.of(type), null, "SessionNotInterface",
        "@SessionScoped describes session state as an interface of accessors that Redwire implements;"
            + " %s is a %s. Declare it as a non-generic interface.",
        type.getSimpleName(), type.getKind() == javax.lang.model.element.ElementKind.INTERFACE
            ? "generic interface" : kindOf(type));
  }

  public void sessionNoId(Element type) {
    warning(Origin.of(type), null, "SessionNoId",
        "%s declares no String id(), so nothing can read a session's id: find, view, rotate and"
            + " invalidate take it, and a session from create() could never be found again. Declare"
            + " String id(); (the one reserved accessor).",
        type.getSimpleName());
  }

  public void sessionUserOutside(Element method) {
    error(Origin.of(method), null, "SessionUserOutside",
        "@SessionUser marks the user getter of a @SessionScoped interface; %s is not in one. Remove"
            + " @SessionUser or annotate the interface with @SessionScoped.",
        describe(method));
  }

  public void sessionAnnotated(Element method, String annotation) {
    error(Origin.of(method), null, "SessionAnnotatedMethod",
        "methods of a @SessionScoped interface are accessors of session fields and call no delegate;"
            + " %s has @%s. Remove it, or move the method to an interface you wrap.",
        describe(method), annotation);
  }

  public void sessionMethodShape(Element method) {
    error(Origin.of(method), null, "SessionMethodShape",
        "@SessionScoped methods are getters T x(), setters void x(T v), increments long addX(long"
            + " delta), compare-and-sets boolean compareAndSetX(T expect, T update), record views R x()"
            + " and String id(); %s is none of these. Give it one of those shapes or make it a default"
            + " method.",
        describe(method));
  }

  public void sessionIdReserved(Element method) {
    error(Origin.of(method), null, "SessionIdReserved",
        "id is reserved for the session id, read with String id(); %s has another shape. Declare"
            + " String id(), or name the field otherwise.",
        describe(method));
  }

  public void sessionNoGetter(Element method, String what, String field) {
    String bean = "";
    if (field.length() > 3 && field.startsWith("set") && Character.isUpperCase(field.charAt(3))) {
      String plain = Character.toLowerCase(field.charAt(3)) + field.substring(4);
      bean = String.format(" Accessors are not bean-style: field \"%s\" is read by %s() and written by"
          + " void %s(value), with no get or set prefix.", plain, plain, plain);
    }
    error(Origin.of(method), null, "SessionNoGetter",
        "%s %s writes session field \"%s\", which is read through its getter %s(); %s has none. Add"
            + " the getter, or fix the name.%s",
        what.startsWith("i") ? "an" : "a", what, field, field, describe(method.getEnclosingElement()), bean);
  }

  public void sessionTypeMismatch(Element method, String field, String getterType, String found) {
    error(Origin.of(method), null, "SessionTypeMismatch",
        "every accessor of session field \"%s\" uses the getter's type %s; %s uses %s. Use %s.",
        field, simpleType(getterType), describe(method), simpleType(found), simpleType(getterType));
  }

  public void sessionIncrementType(Element method, String field, String getterType) {
    error(Origin.of(method), null, "SessionIncrementType",
        "increments add to integral fields, and %s returns the new value: long addX(long delta) for a"
            + " long field, int addX(int delta) for an int field; field \"%s\" is %s. Make the field long"
            + " or int and the increment match it.",
        describe(method), field, simpleType(getterType));
  }

  /** {@link #sessionIncrementType} of an increment returning a view record. */
  public void sessionIncrementViewType(Element method, String field, String getterType) {
    error(Origin.of(method), null, "SessionIncrementType",
        "increments add to integral fields; %s adds its delta to field \"%s\", which is %s, and then reads"
            + " its view. Make the field long or int and the delta match it: R addX(long delta) for a long"
            + " field, R addX(int delta) for an int field.",
        describe(method), field, simpleType(getterType));
  }

  public void sessionCompareAndSet(Element method, String field, String getterType) {
    error(Origin.of(method), null, "SessionCompareAndSet",
        "compare-and-set is boolean compareAndSetX(T expect, T update) with T the field's type; %s"
            + " does not have that shape for field \"%s\" of type %s. Declare boolean %s(%s expect,"
            + " %s update).",
        describe(method), field, simpleType(getterType), ((ExecutableElement) method).getSimpleName(),
        simpleType(getterType), simpleType(getterType));
  }

  public void sessionViewComponent(Element method, String record, String component, Collection<String> fields) {
    String closest = closest(component, fields);
    error(Origin.of(method), null, "SessionViewComponent",
        "a view record's components name the getters they read; component %s of %s names no getter of"
            + " %s. %s",
        component, record, method.getEnclosingElement().getSimpleName(),
        closest != null ? "Did you mean " + closest + "?"
            : fields.isEmpty() ? "Add a getter " + component + "()."
            : "Rename it to one of: " + String.join(", ", sorted(fields)) + ".");
  }

  public void sessionUserType(Element method, String found) {
    error(Origin.of(method), null, "SessionUserType",
        "@SessionUser marks the one String getter that names the session's user; %s %s. Put it on a"
            + " String getter, once.",
        describe(method), found);
  }

  public void sessionUserNeedsAbsolute(Origin at) {
    error(at, null, "SessionIndexNeedsAbsolute",
        "a user index expires one absolute timeout after its newest login, so a store with a"
            + " @SessionUser needs absolute; %s has none. Add absolute = \"8h\" (or another bound on a"
            + " session's age).",
        at.element().getSimpleName());
  }

  public void sessionMaxPerUser(Origin at, int max, boolean user) {
    error(at, "maxPerUser", "SessionMaxPerUser",
        "maxPerUser bounds the sessions of one user, named by a @SessionUser getter; %s. %s",
        user ? "found maxPerUser = " + max : "found maxPerUser = " + max + " and no @SessionUser getter",
        user ? "Use 0 (no limit) or a positive count." : "Mark the String getter naming the user with"
            + " @SessionUser, or remove maxPerUser.");
  }

  // ---------------------------------------------------------------- generic interfaces

  public void genericBase(TypeElement type, Collection<String> variables) {
    note(Origin.of(type), "GenericBase",
        "Redwire implements interfaces whose keys and values have fixed types; the annotated methods of"
            + " %s use its type %s %s, so no Redwire%s is generated. An interface that extends %s<...> with"
            + " concrete types gets its own proxy with the inherited annotations.",
        type.getSimpleName(), variables.size() == 1 ? "variable" : "variables", String.join(", ", variables),
        type.getSimpleName(), type.getSimpleName());
  }

  // ---------------------------------------------------------------- internal

  /**
   * An error javac reports itself (for example a private type used outside its top-level class):
   * counted, so nothing is generated, but not printed a second time.
   */
  // ---------------------------------------------------------------- events: @Publishes, @Payload, @Subscribes

  public void retainInvalid(Origin at, String text) {
    error(at, "retain", "Retain",
        "@Publishes(retain) keeps a stream's events for an age or up to a number of entries; found \"%s\"."
            + " Write a duration such as \"7d\" or a positive count such as \"100000\".",
        text);
  }

  public void publishesNothing(Origin at, String returned) {
    error(at, null, "PublishesNothing",
        "@Publishes publishes the method's result or its @Payload parameter; %s returns %s and has no"
            + " @Payload parameter. Return the event, or mark the parameter to publish with @Payload.",
        describe(at.element()), returned);
  }

  public void publishesFuture(Origin at, String returned) {
    error(at, null, "PublishesFuture",
        "@Publishes publishes when the method returns; %s returns %s, which may not have completed then."
            + " Return the event itself, or publish a @Payload parameter.",
        describe(at.element()), returned);
  }

  public void publishesCached(Origin at) {
    error(at, null, "PublishesCached",
        "@Publishes publishes each time the method runs; %s is @Cached, so a cache hit would not run it"
            + " and publish nothing. Publish from a method that is not cached.",
        describe(at.element()));
  }

  public void payloadTwice(Element parameter, String first) {
    error(Origin.of(parameter), null, "PayloadTwice",
        "a @Publishes method publishes one @Payload parameter; %s also marks %s. Keep @Payload on one"
            + " parameter.",
        parameter.getSimpleName(), first);
  }

  public void payloadWithoutPublishes(Element parameter) {
    error(Origin.of(parameter), null, "PayloadWithoutPublishes",
        "@Payload marks the parameter a @Publishes method publishes; %s has no @Publishes. Add"
            + " @Publishes to the method or remove @Payload.",
        describe(parameter.getEnclosingElement()));
  }

  public void eventNoCodec(Origin at, String type, String reason) {
    error(at, null, "EventCodec",
        "events need a codec Redwire can generate or a codec named with @UseCodec; %s.",
        reason.isEmpty() ? type + " has none; publish a record, enum or supported type, or annotate the"
            + " type or method with @UseCodec(YourCodec.class)" : reason);
  }

  public void streamOnly(Origin at, String annotation, String member) {
    error(at, member, "StreamOnly",
        "@%s(%s) applies to durable channels (streams); %s sets durable = false. Remove %s, or make the"
            + " channel durable.",
        annotation, member, describe(at.element()), member);
  }

  public void subscribesReturn(Origin at, String returned) {
    error(at, null, "SubscribesReturn",
        "@Subscribes methods return void or CompletionStage<Void>; %s returns %s. Return void: the event"
            + " is acknowledged when the method returns.",
        describe(at.element()), returned);
  }

  public void subscribesParameters(Origin at, int count) {
    error(at, null, "SubscribesParameter",
        "@Subscribes methods take the event as their only parameter; %s takes %d. Take exactly one"
            + " parameter, the event.",
        describe(at.element()), count);
  }

  public void subscribesRange(Origin at, String member, int value) {
    error(at, member, "SubscribesRange",
        "@Subscribes(%s) must be at least 1; found %d. Use 1 or more.", member, value);
  }

  public void listenerMixed(Element method, String what) {
    error(Origin.of(method), null, "ListenerMixed",
        "a listener interface holds only @Subscribes methods (and default methods); %s %s. Move it to"
            + " another interface: listeners are subscribed, not wrapped.",
        describe(method), what);
  }

  public void channelShape(Origin at, String channel, String here, Element other, String there) {
    error(at, "channel", "ChannelShape",
        "publishers and listeners of a channel agree on its events; channel \"%s\" carries %s here and %s"
            + " at %s. Publish and subscribe the same type, durable on both sides or on neither.",
        channel, here, there, describe(other));
  }

  public void groupShared(Origin at, String channel, String group, Element other) {
    warning(at, at.value("group") != null ? "group" : null, "GroupShared",
        "within a consumer group each event is handled once, by one consumer; %s and %s both read channel"
            + " \"%s\" in group \"%s\", so each gets only part of its events. Give each method its own group"
            + " (the default), or handle the event in one method.",
        describe(other), describe(at.element()), channel, group);
  }

  // ---------------------------------------------------------------- job queues: @Queued, @Delay, @At

  public void queuedReturn(Origin at, String returned) {
    error(at, null, "QueuedReturn",
        "@Queued methods return void: the call returns when the job is enqueued, before it runs; %s"
            + " returns %s. Return void, and have the job store or publish its result.",
        describe(at.element()), returned);
  }

  public void queuedRange(Origin at, int value) {
    error(at, "maxAttempts", "QueuedRange",
        "@Queued(maxAttempts) must be at least 1; found %d. Use 1 or more.", value);
  }

  public void timingTwice(Element parameter, String first) {
    error(Origin.of(parameter), null, "DelayTwice",
        "a @Queued method is delayed by at most one @Delay or @At parameter; %s also marks %s. Keep one of"
            + " them.",
        parameter.getSimpleName(), first);
  }

  public void timingType(Element parameter, String annotation, String expected, String found) {
    error(Origin.of(parameter), null, "DelayType",
        "@%s marks a %s parameter; %s is %s. Change the parameter's type, or use %s.",
        annotation, expected, parameter.getSimpleName(), found,
        annotation.equals("Delay") ? "@At for an Instant" : "@Delay for a Duration");
  }

  public void timingWithoutQueued(Element parameter, String annotation) {
    error(Origin.of(parameter), null, "DelayWithoutQueued",
        "@%s delays a @Queued job; %s has no @Queued. Add @Queued to the method or remove @%s.",
        annotation, describe(parameter.getEnclosingElement()), annotation);
  }

  public void jobCodec(Element parameter, String type, String reason) {
    error(Origin.of(parameter), null, "JobCodec",
        "job arguments are stored with a codec Redwire can generate or one named with @UseCodec; %s.",
        reason.isEmpty() ? parameter.getSimpleName() + " is " + type + ", which has none; pass a record,"
            + " enum or supported type, or annotate the type or method with @UseCodec(YourCodec.class)" : reason);
  }

  public void uniqueNamesNothing(Origin at, String template) {
    error(at, "unique", "UniqueKey",
        "@Queued(unique) names the parameters that make a job unique; \"%s\" names none. Write a template"
            + " such as \"{orderId}\", or remove unique.",
        template);
  }

  public void queuedMixed(Element method, String what) {
    error(Origin.of(method), null, "QueuedMixed",
        "an interface with @Queued methods holds only @Queued methods (and default methods); %s %s. Move it"
            + " to another interface: the generated client only enqueues.",
        describe(method), what);
  }

  public void queuedWith(Origin at, String other) {
    error(at, null, "QueuedWith",
        "@Queued combines only with @RateLimited and @Locked, which apply when the job runs; %s also has"
            + " %s. Put that annotation on the interface the job calls.",
        describe(at.element()), other);
  }

  public void queueShape(Origin at, String queue, String here, Element other, String there) {
    error(at, "queue", "QueueShape",
        "methods of one interface that share a queue agree on its maxAttempts, backoff and timeout; queue"
            + " \"%s\" has %s here and %s at %s. Give them the same settings or separate queues.",
        queue, here, there, describe(other));
  }

  public void reportedByJavac() {
    errors++;
  }

  void warning(Origin at, String member, String code, String format, Object... args) {
    print(Diagnostic.Kind.WARNING, at, member, "[Redwire/" + code + "] " + String.format(format, args));
  }

  void note(Origin at, String code, String format, Object... args) {
    print(Diagnostic.Kind.NOTE, at, null, "[Redwire/" + code + "] " + String.format(format, args));
  }

  private void print(Diagnostic.Kind kind, Origin at, String member, String text) {
    // a base interface is read once per interface that extends it: say each thing once
    if (!printed.add(List.of(kind, at.element(), String.valueOf(at.annotation()), String.valueOf(member), text))) {
      return;
    }
    AnnotationValue value = member == null ? null : at.value(member);
    if (at.annotation() != null && value != null) {
      messager.printMessage(kind, text, at.element(), at.annotation(), value);
    } else if (at.annotation() != null) {
      messager.printMessage(kind, text, at.element(), at.annotation());
    } else {
      messager.printMessage(kind, text, at.element());
    }
  }

  /** The report primitive: tag, message, and the narrowest place available. */
  void error(Origin at, String member, String code, String format, Object... args) {
    errors++;
    print(Diagnostic.Kind.ERROR, at, member, "[Redwire/" + code + "] " + String.format(format, args));
  }

  /** A crash inside the processor, reported instead of thrown so javac ends cleanly. */
  public void internal(Element at, Throwable t) {
    errors++;
    messager.printMessage(Diagnostic.Kind.ERROR,
        "[Redwire/Internal] the processor failed on this element; " + t + ". Please report it with"
            + " the source that triggers it.",
        at);
  }

  /** {@code Catalog.product(long)} style, as a user reads it. */
  static String describe(Element e) {
    if (e instanceof ExecutableElement m) {
      String params = m.getParameters().stream()
          .map(p -> simpleType(p.asType().toString()))
          .collect(Collectors.joining(", "));
      return m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName() + "(" + params + ")";
    }
    return e.getSimpleName().toString();
  }

  private static String simpleType(String type) {
    return type.replaceAll("\\b(?:[a-z_$][\\w$]*\\.)+", "");
  }

  private static String kindOf(Element e) {
    return switch (e.getKind()) {
      case CLASS -> "class";
      case ENUM -> "enum";
      case RECORD -> "record";
      case ANNOTATION_TYPE -> "annotation";
      default -> e.getKind().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static List<String> sorted(Collection<String> names) {
    return names.stream().sorted().toList();
  }

  /** The candidate closest to {@code name} by edit distance, if close enough to be a likely typo. */
  static String closest(String name, Collection<String> candidates) {
    return candidates.stream()
        .filter(c -> distance(name.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT))
            <= Math.max(2, name.length() / 3))
        .min(Comparator.<String>comparingInt(c -> distance(name, c)).thenComparing(c -> c))
        .orElse(null);
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  // ---------------------------------------------------------------- rate limits

  public void rateLimitLimit(Origin at, long limit) {
    error(at, "limit", "RateLimitLimit",
        "@RateLimited(limit) must be at least 1; found %d. Write how many calls are admitted per period,"
            + " e.g. limit = 10.",
        limit);
  }

  public void rateLimitBurst(Origin at, long burst) {
    error(at, "burst", "RateLimitBurst",
        "@RateLimited(burst) must be at least 1; found %d. Remove burst to allow the limit at once, or"
            + " write a positive number.",
        burst);
  }

  public void rateLimitBurstAlgorithm(Origin at, String algorithm) {
    error(at, "burst", "RateLimitBurstAlgorithm",
        "@RateLimited(burst) applies only to algorithm = GCRA; this limit uses %s, which admits at most"
            + " limit calls per window. Remove burst or use GCRA.",
        algorithm);
  }

  public void rateLimitMaxWaitWithoutWait(Origin at) {
    error(at, "maxWait", "RateLimitMaxWaitWithoutWait",
        "@RateLimited(maxWait) bounds waiting for a permit, which only onLimit = WAIT does; this limit"
            + " throws at once (onLimit = THROW). Add onLimit = RateLimited.OnLimit.WAIT or remove maxWait.");
  }

  public void rateLimitWaitUnbounded(Origin at) {
    error(at, "onLimit", "RateLimitWaitUnbounded",
        "@RateLimited(onLimit = WAIT) must bound the wait; %s has no maxWait. Add maxWait = \"2s\" (the"
            + " longest a caller may block).",
        describe(at.element()));
  }

  public void rateLimitWaitAsync(Origin at, String type) {
    error(at, "onLimit", "RateLimitWaitAsync",
        "@RateLimited(onLimit = WAIT) blocks the calling thread, which an asynchronous method must not do;"
            + " %s returns %s. Use onLimit = THROW: the returned future fails with RateLimitedException.",
        describe(at.element()), simpleType(type));
  }

  public void rateLimitNameDuplicate(Origin at, String name, Element first) {
    error(at, "name", "RateLimitNameDuplicate",
        "rate limit names must be unique in an interface; \"%s\" is also a limit of %s. Give one of them"
            + " another name.",
        name, describe(first));
  }

  /** {@code which} identifies the limit, e.g. {@code per = "1h"}. */
  public void rateLimitMixed(Origin at, String member, String which, String value, String first) {
    error(at, member, "RateLimitMixed",
        "the limits of one method are decided together in one script call, so they share algorithm,"
            + " onLimit, onFailure and maxWait; %s has %s = %s on its @RateLimited(%s) and %s on its first"
            + " @RateLimited. Use the same %s on every @RateLimited of the method.",
        describe(at.element()), member, value, which, first, member);
  }
}
