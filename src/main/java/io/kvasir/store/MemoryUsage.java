package io.kvasir.store;

/**
 * Implemented by values that can say how many bytes they take (MEMORY USAGE): collections count
 * their own structure and, past {@code samples} elements, estimate the rest from the average.
 */
public interface MemoryUsage {
    long memoryUsage(int samples);
}
