package dev.sluice.sql.driver;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rows between two Kafka offsets as the query's progress writes them ({@code KafkaSourceOffset}'s JSON,
 * {@code {"topic":{"0":123,"1":456}}}): the admitted rows of a batch ({@code endOffset − startOffset}) and the backlog
 * behind it ({@code latestOffset − endOffset}). Plain text parsing, no Spark type; anything that is not that shape gives
 * -1 (unknown), never an exception.
 */
final class OffsetJson {

    static final long UNKNOWN = -1;

    private OffsetJson() {
    }

    /**
     * Σ over partitions of {@code to − from}, or {@link #UNKNOWN} when either side does not parse or the two name
     * different partitions (a partition added between them: its first offset is not in {@code from}).
     */
    static long rowsBetween(String from, String to) {
        Map<String, Long> a = partitions(from);
        Map<String, Long> b = partitions(to);
        if (a == null || b == null || !a.keySet().equals(b.keySet())) {
            return UNKNOWN;
        }
        long sum = 0;
        for (Map.Entry<String, Long> e : b.entrySet()) {
            sum += Math.max(0, e.getValue() - a.get(e.getKey()));
        }
        return sum;
    }

    /** {@code topic/partition → offset}; null when {@code json} is not a Kafka source offset. */
    static Map<String, Long> partitions(String json) {
        if (json == null) {
            return null;
        }
        try {
            Parser p = new Parser(json);
            Map<String, Long> out = new LinkedHashMap<String, Long>();
            p.expect('{');
            if (!p.tryConsume('}')) {
                do {
                    String topic = p.string();
                    p.expect(':');
                    p.expect('{');
                    if (!p.tryConsume('}')) {
                        do {
                            String partition = p.string();
                            p.expect(':');
                            out.put(topic + "/" + partition, p.number());
                        } while (p.tryConsume(','));
                        p.expect('}');
                    }
                } while (p.tryConsume(','));
                p.expect('}');
            }
            p.end();
            return out.isEmpty() ? null : out;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Just enough JSON for two levels of string keys over integers. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        void expect(char c) {
            if (!tryConsume(c)) {
                throw new IllegalArgumentException("expected " + c + " at " + i);
            }
        }

        boolean tryConsume(char c) {
            skipSpace();
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        String string() {
            expect('"');
            int end = s.indexOf('"', i);
            if (end < 0 || s.lastIndexOf('\\', end) >= i) {
                throw new IllegalArgumentException("string at " + i);
            }
            String out = s.substring(i, end);
            i = end + 1;
            return out;
        }

        long number() {
            skipSpace();
            int start = i;
            if (i < s.length() && s.charAt(i) == '-') {
                i++;
            }
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            try {
                return Long.parseLong(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("number at " + start);
            }
        }

        void end() {
            skipSpace();
            if (i != s.length()) {
                throw new IllegalArgumentException("trailing text at " + i);
            }
        }
    }
}
