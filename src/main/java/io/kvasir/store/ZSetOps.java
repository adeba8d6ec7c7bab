package io.kvasir.store;

/**
 * Union, intersection and difference of sorted sets (ZUNION, ZINTER, ZDIFF, their STORE forms and
 * ZINTERCARD), with Redis's arithmetic: an input's score times its weight, where a NaN product (0
 * times infinity) counts as 0; SUM of +inf and -inf is 0. A missing input (null) is an empty set.
 * Inputs are {@link Input}s: a sorted set is one, and a plain set becomes one ({@link #of}: every member
 * scores 1).
 *
 * <p>Union and intersection take the inputs from the smallest to the largest (ties in argument
 * order), as Redis does: floating-point sums depend on that order.
 */
public final class ZSetOps {
    private ZSetOps() {}

    public enum Aggregate { SUM, MIN, MAX }

    /** What the operations read of an input. */
    public interface Input {
        int size();

        /** The member's score, or NaN when it is not there. */
        double score(byte[] m, int off, int len);

        /** Visits every member with its score. */
        void forEach(ZSet.Visitor v);
    }

    /** A plain set as an input: every member scores 1, as Redis reads sets in these commands. */
    public static Input of(SetValue set) {
        return new Input() {
            @Override
            public int size() { return set.size(); }

            @Override
            public double score(byte[] m, int off, int len) { return set.contains(m, off, len) ? 1 : Double.NaN; }

            @Override
            public void forEach(ZSet.Visitor v) { set.forEach((b, off, len) -> v.visit(b, off, len, 1)); }
        };
    }

    /** A result: a set in (score, member) order, its skiplist form until {@link #compact}. */
    public static ZSet union(Input[] in, double[] weights, Aggregate agg) {
        ZSetSkiplist out = new ZSetSkiplist();
        for (int i : bySize(in)) {
            Input z = in[i];
            if (z == null || z.size() == 0) continue;
            double w = weights[i];
            z.forEach((b, off, len, s) -> {
                double score = w * s;
                if (Double.isNaN(score)) score = 0;
                int slot = out.find(b, off, len);
                if (slot < 0) out.accumulate(b, off, len, score);
                else out.rescore(slot, aggregate(out.scoreAt(slot), score, agg));
            });
        }
        out.order();
        return out;
    }

    public static ZSet inter(Input[] in, double[] weights, Aggregate agg) {
        ZSetSkiplist out = new ZSetSkiplist();
        interVisit(in, weights, agg, 0, (b, off, len, s) -> out.accumulate(b, off, len, s));
        out.order();
        return out;
    }

    /** ZINTERCARD: the size of the intersection, counting stops at {@code limit} (0: no limit). */
    public static long interCard(Input[] in, long limit) {
        long[] n = {0};
        interVisit(in, null, Aggregate.SUM, limit, (b, off, len, s) -> n[0]++);
        return n[0];
    }

    /** Visits the members of the intersection with their aggregated scores, at most {@code limit} (0: all). */
    private static void interVisit(Input[] in, double[] weights, Aggregate agg, long limit, ZSet.Visitor v) {
        int[] order = bySize(in);
        Input first = in[order[0]];
        if (first == null || first.size() == 0) return;
        long[] found = {0};
        byte[] stop = {0};
        first.forEach((b, off, len, s) -> {
            if (stop[0] != 0) return;
            double score = weights == null ? 0 : weights[order[0]] * s;
            if (Double.isNaN(score)) score = 0;
            for (int k = 1; k < order.length; k++) {
                Input z = in[order[k]];
                double value = z == null ? Double.NaN : z.score(b, off, len);
                if (Double.isNaN(value)) return;
                if (weights != null) score = aggregate(score, value * weights[order[k]], agg);
            }
            v.visit(b, off, len, score);
            if (limit > 0 && ++found[0] >= limit) stop[0] = 1;
        });
    }

    /** The members of the first set that are in no other, with their scores. */
    public static ZSet diff(Input[] in) {
        ZSetSkiplist out = new ZSetSkiplist();
        Input first = in[0];
        if (first != null) {
            first.forEach((b, off, len, s) -> {
                for (int k = 1; k < in.length; k++) {
                    if (in[k] != null && !Double.isNaN(in[k].score(b, off, len))) return;
                }
                out.accumulate(b, off, len, s);
            });
        }
        out.order();
        return out;
    }

    /**
     * A result set as Redis stores it: packed when it fits {@code zset-max-listpack-entries} and
     * {@code zset-max-listpack-value}, else in the skiplist form.
     */
    public static ZSet compact(ZSet result, long maxEntries, long maxValue) {
        return result instanceof ZSetSkiplist s ? s.compact(maxEntries, maxValue) : result;
    }

    /** Collects the members of a new set (ZRANGESTORE), distinct and in any order, then builds it. */
    public static final class Builder implements ZSet.Visitor {
        private final ZSetSkiplist set = new ZSetSkiplist();

        @Override
        public void visit(byte[] b, int off, int len, double score) {
            set.accumulate(b, off, len, score);
        }

        public int size() { return set.size(); }

        /** The set, compacted as {@link #compact} does. */
        public ZSet build(long maxEntries, long maxValue) {
            set.order();
            return set.compact(maxEntries, maxValue);
        }
    }

    private static double aggregate(double target, double value, Aggregate agg) {
        return switch (agg) {
            case SUM -> {
                double sum = target + value;
                yield Double.isNaN(sum) ? 0 : sum;
            }
            case MIN -> value < target ? value : target;
            case MAX -> value > target ? value : target;
        };
    }

    /** Input indexes from the smallest set to the largest, ties in argument order. */
    private static int[] bySize(Input[] in) {
        Integer[] idx = new Integer[in.length];
        for (int i = 0; i < in.length; i++) idx[i] = i;
        java.util.Arrays.sort(idx, java.util.Comparator.comparingInt(i -> in[i] == null ? 0 : in[i].size()));
        int[] out = new int[in.length];
        for (int i = 0; i < in.length; i++) out[i] = idx[i];
        return out;
    }
}
