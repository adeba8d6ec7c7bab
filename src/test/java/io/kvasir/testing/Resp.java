package io.kvasir.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A raw RESP2/RESP3 reply as a tree that keeps every byte (ISO-8859-1 text, one char per byte), for
 * tests that must compare replies byte for byte except where Redis itself is unordered (its
 * subcommands come out in hash order) or where Kvasir deliberately differs.
 */
public final class Resp {
    /** {@code type} is the first byte ('*', '%', '$', ...); {@code line} the rest of the first line. */
    public record Node(char type, String line, String body, List<Node> children) {
        public boolean aggregate() { return "*~%>".indexOf(type) >= 0; }

        /** The text of a bulk or simple string. */
        public String text() { return "$=!".indexOf(type) >= 0 ? body : line; }

        /** The texts of an aggregate's elements (KEYS, the keys of a SCAN). */
        public List<String> texts() {
            List<String> out = new ArrayList<>(children.size());
            for (Node c : children) out.add(c.text());
            return out;
        }

        /** The value for {@code key} in a map (RESP3 '%' or a RESP2 flat array of pairs), or null. */
        public Node get(String key) {
            for (int i = 0; i + 1 < children.size(); i += 2) if (children.get(i).text().equals(key)) return children.get(i + 1);
            return null;
        }

        /** The bytes of this node, its count recomputed from its children. */
        public String raw() {
            StringBuilder sb = new StringBuilder();
            write(sb);
            return sb.toString();
        }

        private void write(StringBuilder sb) {
            sb.append(type);
            if (aggregate()) {
                int n = type == '%' ? children.size() / 2 : children.size();
                sb.append(line.startsWith("-") ? line : Integer.toString(n)).append("\r\n");
                for (Node c : children) c.write(sb);
            } else {
                sb.append(line).append("\r\n");
                if (body != null) sb.append(body).append("\r\n");
            }
        }

        public Node withChildren(List<Node> c) { return new Node(type, line, body, c); }

        /** A copy with the value of {@code key} replaced (a map node). */
        public Node with(String key, Node value) {
            List<Node> c = new ArrayList<>(children);
            for (int i = 0; i + 1 < c.size(); i += 2) if (c.get(i).text().equals(key)) c.set(i + 1, value);
            return withChildren(c);
        }

        /** A copy of a map keeping only the pairs whose key passes, sorted by key. */
        public Node sortedPairs(Predicate<String> keep) {
            List<List<Node>> pairs = new ArrayList<>();
            for (int i = 0; i + 1 < children.size(); i += 2) {
                if (keep.test(children.get(i).text())) pairs.add(List.of(children.get(i), children.get(i + 1)));
            }
            pairs.sort(Comparator.comparing(p -> p.getFirst().text()));
            List<Node> c = new ArrayList<>();
            for (List<Node> p : pairs) c.addAll(p);
            return withChildren(c);
        }

        /** A copy of an array keeping only the elements that pass, sorted by their bytes. */
        public Node sortedElements(Predicate<Node> keep) {
            List<Node> c = new ArrayList<>();
            for (Node n : children) if (keep.test(n)) c.add(n);
            c.sort(Comparator.comparing(Node::raw));
            return withChildren(c);
        }
    }

    public static Node bulk(String s) { return new Node('$', Integer.toString(s.length()), s, List.of()); }

    public static Node parse(String raw) {
        int[] pos = {0};
        Node n = read(raw, pos);
        if (pos[0] != raw.length()) throw new IllegalArgumentException("trailing bytes after the reply");
        return n;
    }

    private static Node read(String s, int[] pos) {
        int eol = s.indexOf("\r\n", pos[0]);
        char type = s.charAt(pos[0]);
        String line = s.substring(pos[0] + 1, eol);
        pos[0] = eol + 2;
        switch (type) {
            case '$', '=', '!' -> {
                int n = Integer.parseInt(line);
                if (n < 0) return new Node(type, line, null, List.of());
                String body = s.substring(pos[0], pos[0] + n);
                pos[0] += n + 2;
                return new Node(type, line, body, List.of());
            }
            case '*', '~', '>', '%' -> {
                int n = Integer.parseInt(line);
                if (type == '%') n *= 2;
                List<Node> c = new ArrayList<>();
                for (int i = 0; i < n; i++) c.add(read(s, pos));
                return new Node(type, line, null, c);
            }
            default -> {
                return new Node(type, line, null, List.of());
            }
        }
    }
}
