// Prints murmur2 test vectors computed by the real Kafka Java client, so our TypeScript port is
// checked against the producer it must agree with, not against another port. Regenerate with:
//
//   cd libs/client/src/partitioning/testdata
//   java -cp '/work/main/.cache/kafka/libs/*' GenerateMurmur2Vectors.java > murmur2-java-vectors.json
//
// Partitions come from BuiltInPartitioner.partitionForKey, the method the Java producer itself
// calls for keyed records; the program fails if it ever disagrees with toPositive(murmur2) % n.
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Utils;

public class GenerateMurmur2Vectors {
    static final int[] PARTITION_COUNTS = {1, 3, 7, 12, 100};

    record Vector(String label, byte[] key, String text) {}

    public static void main(String[] args) {
        List<Vector> vectors = new ArrayList<>();

        // The keys of UtilsTest.testMurmur2 in apache/kafka (whose expected hashes these must
        // reproduce), then the keys of kafkajs's murmur2.spec.js. Only the keys: the hashes that
        // spec lists come from kafkajs 1.x's partitioner (today's LegacyPartitioner), which is
        // not Java-compatible ("0" -> 272173970 there, 971027396 in Java).
        for (String s : new String[] {"21", "foobar", "a-little-bit-long-string", "a-little-bit-longer-string",
                "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", "abc"}) {
            text(vectors, "kafka UtilsTest", s);
        }
        for (String s : new String[] {"0", "1", "128", "2187", "16384", "78125", "279936", "823543", "2097152",
                "4782969", "10000000", "19487171", "35831808", "62748517", "105413504", "170859375"}) {
            text(vectors, "kafkajs murmur2.spec key", s);
        }

        // Every length 0..20 exercises each tail length (0-3 bytes after the 4-byte blocks).
        String alphabet = "abcdefghijklmnopqrstuvwxyz";
        for (int n = 0; n <= 20; n++) text(vectors, "ascii length " + n, alphabet.substring(0, n));

        // Multi-byte UTF-8 (2, 3 and 4 bytes per character), written as escapes so this file's
        // own encoding cannot change the bytes.
        for (String s : new String[] {"\u00e9", "\u00df", "\u20ac100", "na\u00efve caf\u00e9", "\u65e5\u672c\u8a9e",
                "\ud83d\ude80", "\u00dcn\u00efc\u00f6d\u00e9-\u043a\u043b\u044e\u0447-\u9375", "user-\ud83d\ude00-42"}) {
            text(vectors, "utf-8", s);
        }

        // Typical application keys.
        for (int i = 0; i < 30; i++) text(vectors, "application key", "order-" + i);
        text(vectors, "application key", "user-1002");
        text(vectors, "application key", "3f2b8c1e-7d4a-4e59-9c2a-0b6f1d8e4a7c");

        // Bytes >= 0x80 are negative Java bytes: these catch a port that forgets `& 0xff`.
        Random random = new Random(20240601L);
        for (int n = 0; n <= 20; n++) {
            byte[] key = new byte[n];
            random.nextBytes(key);
            vectors.add(new Vector("random bytes length " + n, key, null));
        }
        for (int n = 1; n <= 8; n++) {
            vectors.add(new Vector("0x00 x " + n, filled(n, (byte) 0x00), null));
            vectors.add(new Vector("0xff x " + n, filled(n, (byte) 0xff), null));
            vectors.add(new Vector("0x80 x " + n, filled(n, (byte) 0x80), null));
        }
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        vectors.add(new Vector("bytes 0x00..0xff", all, null));

        StringBuilder out = new StringBuilder();
        out.append("{\n");
        out.append("  \"source\": \"org.apache.kafka.common.utils.Utils.murmur2 and BuiltInPartitioner.partitionForKey, kafka-clients ")
                .append(AppInfoParser.getVersion()).append("\",\n");
        out.append("  \"generator\": \"libs/client/src/partitioning/testdata/GenerateMurmur2Vectors.java\",\n");
        out.append("  \"partitionCounts\": [1, 3, 7, 12, 100],\n");
        out.append("  \"vectors\": [\n");
        for (int v = 0; v < vectors.size(); v++) {
            Vector vector = vectors.get(v);
            int hash = Utils.murmur2(vector.key());
            int positive = Utils.toPositive(hash);
            out.append("    { \"label\": ").append(json(vector.label()));
            if (vector.text() != null) out.append(", \"text\": ").append(json(vector.text()));
            out.append(", \"keyHex\": \"").append(hex(vector.key())).append("\"");
            out.append(", \"murmur2\": ").append(hash);
            out.append(", \"toPositive\": ").append(positive);
            out.append(", \"partitions\": {");
            for (int p = 0; p < PARTITION_COUNTS.length; p++) {
                int count = PARTITION_COUNTS[p];
                int partition = BuiltInPartitioner.partitionForKey(vector.key(), count);
                if (partition != positive % count) throw new AssertionError("partitionForKey disagrees with toPositive(murmur2) % n");
                out.append(p == 0 ? " " : ", ").append("\"").append(count).append("\": ").append(partition);
            }
            out.append(" } }").append(v + 1 < vectors.size() ? ",\n" : "\n");
        }
        out.append("  ]\n}\n");
        System.out.print(out);
    }

    static void text(List<Vector> vectors, String label, String s) {
        vectors.add(new Vector(label, s.getBytes(StandardCharsets.UTF_8), s));
    }

    static byte[] filled(int n, byte b) {
        byte[] key = new byte[n];
        java.util.Arrays.fill(key, b);
        return key;
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) sb.append(String.format("%02x", b & 0xff));
        return sb.toString();
    }

    // ASCII-only JSON: everything else as \\uXXXX (UTF-16 units, as JSON defines them).
    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}
