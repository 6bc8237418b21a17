package amped.protocol;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

/** The status code and fields of a written response head; a field name must occur at most once. */
record WrittenHead(int status, Map<String, String> fields) {

    static WrittenHead of(ResponseHead out) {
        String[] lines = out.toString().split("\r\n");
        assertTrue(lines[0].startsWith("HTTP/1.1 "), lines[0]);
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(": ");
            String previous = fields.put(lines[i].substring(0, colon), lines[i].substring(colon + 2));
            assertNull(previous, "field written twice: " + lines[i]);
        }
        return new WrittenHead(Integer.parseInt(lines[0].substring(9, 12)), fields);
    }
}
