package io.kvasir.command;

import java.util.Comparator;

/**
 * The partial quicksort Redis's SORT uses when BY and LIMIT select part of the result: Bentley and
 * McIlroy's "Engineering a Sort Function" (as in the BSD libc qsort) that only recurses into the
 * parts overlapping the wanted positions. It is not stable, and elements that compare equal come
 * out where this algorithm leaves them, so reproducing it step for step is what makes such ties
 * come out in Redis's order.
 */
final class PartialSort<T> {
    private final T[] a;
    private final Comparator<? super T> cmp;

    PartialSort(T[] a, Comparator<? super T> cmp) {
        this.a = a;
        this.cmp = cmp;
    }

    /** Puts into positions [from, to] the elements a full sort would put there. */
    void sort(int from, int to) {
        sort(0, a.length, from, to);
    }

    /** Sorts what of a[lo, lo+n) overlaps [from, to]. */
    private void sort(int lo, int n, int from, int to) {
        while (true) {
            if (n < 7) {
                insertion(lo, n);
                return;
            }
            swap(lo, pivot(lo, n));
            int pa = lo + 1, pb = pa, pc = lo + n - 1, pd = pc;
            while (true) {
                int r;
                while (pb <= pc && (r = cmp.compare(a[pb], a[lo])) <= 0) {
                    if (r == 0) swap(pa++, pb);
                    pb++;
                }
                while (pb <= pc && (r = cmp.compare(a[pc], a[lo])) >= 0) {
                    if (r == 0) swap(pc, pd--);
                    pc--;
                }
                if (pb > pc) break;
                swap(pb++, pc--);
            }
            // move the runs equal to the pivot from both ends to the middle
            int end = lo + n;
            int r = Math.min(pa - lo, pb - pa);
            swapRuns(lo, pb - r, r);
            r = Math.min(pd - pc, end - pd - 1);
            swapRuns(pb, end - r, r);
            int left = pb - pa, right = pd - pc;
            if (left > 1 && overlaps(lo, left, from, to)) sort(lo, left, from, to);
            if (right <= 1 || !overlaps(end - right, right, from, to)) return;
            lo = end - right;
            n = right;
        }
    }

    private void insertion(int lo, int n) {
        for (int m = lo + 1; m < lo + n; m++) {
            for (int l = m; l > lo && cmp.compare(a[l - 1], a[l]) > 0; l--) swap(l, l - 1);
        }
    }

    /** The middle element; past 7 elements the median of three, past 40 the median of three medians. */
    private int pivot(int lo, int n) {
        int m = lo + n / 2;
        if (n == 7) return m;
        int l = lo, h = lo + n - 1;
        if (n > 40) {
            int d = n / 8;
            l = median(l, l + d, l + 2 * d);
            m = median(m - d, m, m + d);
            h = median(h - 2 * d, h - d, h);
        }
        return median(l, m, h);
    }

    private int median(int x, int y, int z) {
        if (cmp.compare(a[x], a[y]) < 0) {
            return cmp.compare(a[y], a[z]) < 0 ? y : cmp.compare(a[x], a[z]) < 0 ? z : x;
        }
        return cmp.compare(a[y], a[z]) > 0 ? y : cmp.compare(a[x], a[z]) < 0 ? x : z;
    }

    private static boolean overlaps(int lo, int n, int from, int to) {
        return to >= lo && from < lo + n;
    }

    private void swap(int i, int j) {
        T t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private void swapRuns(int i, int j, int n) {
        for (int k = 0; k < n; k++) swap(i + k, j + k);
    }
}
