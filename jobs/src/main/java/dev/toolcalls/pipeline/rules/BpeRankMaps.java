package dev.toolcalls.pipeline.rules;

import com.knuddels.jtokkit.api.Encoding;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * JTokkit 1.1.0 looks up every byte pair it merges in maps keyed by its {@code ByteArrayWrapper},
 * whose hash is {@code Arrays.hashCode} (base 31): for the 2- to 4-byte pieces that make most of a
 * vocabulary it collides massively (two bytes give about 8,000 hash values for 65,536 pairs), the
 * maps' bins turn into trees, and as the keys are not {@code Comparable} a lookup walks them. That
 * walk was 11% of an extraction's CPU samples (JFR, 997 MB of logs). This swaps each of an
 * encoding's rank maps for a read-only open-addressing table over the same entries with a sound
 * hash of the same bytes: the same ranks, so the same counts (TokenCounterTest compares them).
 *
 * <p>It reaches into JTokkit's private fields; on another JTokkit whose fields differ it changes
 * nothing and counting works as it is, only slower ({@link #install} says whether it could).
 */
final class BpeRankMaps {
  private BpeRankMaps() {}

  /** JTokkit's key class, and its bytes as {@code (Object) -> byte[]}; null when JTokkit is laid out otherwise. */
  private static final Class<?> WRAPPER;
  private static final MethodHandle BYTES;

  static {
    Class<?> wrapper = null;
    MethodHandle bytes = null;
    try {
      wrapper = Class.forName("com.knuddels.jtokkit.ByteArrayWrapper", false, Encoding.class.getClassLoader());
      bytes = MethodHandles.privateLookupIn(wrapper, MethodHandles.lookup()).findGetter(wrapper, "array", byte[].class)
          .asType(MethodType.methodType(byte[].class, Object.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      wrapper = null;
      bytes = null;
    }
    WRAPPER = wrapper;
    BYTES = bytes;
  }

  /** The wrapped bytes (an exact call on a constant handle: as cheap as reading the field). */
  private static byte[] bytesOf(Object wrapped) {
    try {
      return (byte[]) BYTES.invokeExact(wrapped);
    } catch (Throwable e) {
      throw new IllegalStateException("cannot read JTokkit's key bytes", e);
    }
  }

  /** Swaps the encoding's rank maps in place; false (and nothing changed) when JTokkit is not laid out as 1.1.0 is. */
  static boolean install(Encoding encoding) {
    if (BYTES == null) return false;
    try {
      Object tokenEncoder = field(encoding, "encoder"); // cl100k's encoding is a subclass of the one declaring it
      Map<?, ?>[] maps = (Map<?, ?>[]) field(tokenEncoder, "encoders");
      Map<?, ?>[] swapped = maps.clone();
      for (int i = 0; i < swapped.length; i++) {
        if (swapped[i] != null && !(swapped[i] instanceof RankMap)) swapped[i] = new RankMap(swapped[i]);
      }
      System.arraycopy(swapped, 0, maps, 0, maps.length); // all built first: a failure above leaves the maps as they were
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** The value of the named field, declared by the object's class or a superclass. */
  private static Object field(Object o, String name) throws ReflectiveOperationException {
    for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(o.getClass().getName() + "." + name);
  }

  /** A read-only map from a wrapped byte array to its rank: linear probing over a power-of-two table. */
  static final class RankMap extends AbstractMap<Object, Integer> {
    private final Map<?, ?> original;
    private final byte[][] keys;
    private final Integer[] ranks;
    private final int mask;

    RankMap(Map<?, ?> original) {
      this.original = original;
      int capacity = Integer.highestOneBit(Math.max(4, original.size() * 2 - 1)) << 1; // load factor at most 1/2
      this.keys = new byte[capacity][];
      this.ranks = new Integer[capacity];
      this.mask = capacity - 1;
      for (Map.Entry<?, ?> e : original.entrySet()) {
        byte[] k = bytesOf(e.getKey());
        int i = hash(k) & mask;
        while (keys[i] != null) i = (i + 1) & mask;
        keys[i] = k;
        ranks[i] = (Integer) e.getValue();
      }
    }

    /** FNV-1a over the bytes, then a final avalanche (murmur3's fmix32): every byte moves every bit. */
    static int hash(byte[] k) {
      int h = 0x811C9DC5;
      for (byte b : k) h = (h ^ (b & 0xFF)) * 0x01000193;
      h ^= h >>> 16;
      h *= 0x85EBCA6B;
      h ^= h >>> 13;
      h *= 0xC2B2AE35;
      return h ^ (h >>> 16);
    }

    @Override
    public Integer get(Object key) {
      if (key == null || key.getClass() != WRAPPER) return null;
      byte[] k = bytesOf(key);
      for (int i = hash(k) & mask; keys[i] != null; i = (i + 1) & mask) {
        if (Arrays.equals(keys[i], k)) return ranks[i];
      }
      return null;
    }

    @Override
    public boolean containsKey(Object key) {
      return get(key) != null;
    }

    @Override
    public int size() {
      return original.size();
    }

    @SuppressWarnings("unchecked")
    @Override
    public Set<Map.Entry<Object, Integer>> entrySet() {
      return (Set<Map.Entry<Object, Integer>>) (Set<?>) original.entrySet();
    }
  }
}
