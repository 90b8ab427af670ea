package dev.sluice.sql.driver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Kafka source's offsets as progress writes them ({@code KafkaSourceOffset.json}). */
class OffsetJsonTest {

    @Test
    void rowsBetweenTwoOffsetsAreSummedOverPartitionsAndTopics() {
        assertEquals(30 + 5 + 7, OffsetJson.rowsBetween("{\"a\":{\"0\":10,\"1\":20},\"b\":{\"0\":0}}",
                "{\"a\":{\"1\":25,\"0\":40},\"b\":{\"0\":7}}"));
        assertEquals(0, OffsetJson.rowsBetween("{\"a\":{\"0\":10}}", " { \"a\" : { \"0\" : 10 } } "));
    }

    @Test
    void anythingElseIsUnknownNeverAnException() {
        assertEquals(-1, OffsetJson.rowsBetween(null, "{\"a\":{\"0\":10}}"));
        assertEquals(-1, OffsetJson.rowsBetween("{\"logOffset\":3}", "{\"logOffset\":4}")); // the file source's
        assertEquals(-1, OffsetJson.rowsBetween("{\"a\":{\"0\":10}}", "{\"a\":{\"0\":10,\"1\":4}}")); // new partition
        assertEquals(-1, OffsetJson.rowsBetween("{\"a\":{\"0\":10}}", "{\"a\":{\"0\":12}} trailing"));
        assertEquals(-1, OffsetJson.rowsBetween("{}", "{}"));
    }
}
