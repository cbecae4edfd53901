package dev.toolcalls.pipeline.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ContentHashTest {
  @Test
  void theHashOfAGzipFileCoversBytesAfterItsLastMemberThatTheReaderNeverAsksFor() throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(file)) {
      gz.write("{\"type\": \"request\"}\n".getBytes(StandardCharsets.UTF_8));
    }
    byte[] gzipOnly = file.toByteArray();
    file.write(new byte[] {0, 0, 0, 0, 0, 0, 0, 0}); // zero padding some copy tools leave
    byte[] padded = file.toByteArray();

    ContentHash.HashingStream raw = ContentHash.wrap(new ByteArrayInputStream(padded));
    GZIPInputStream reader = new GZIPInputStream(raw);
    reader.readAllBytes();
    reader.close(); // as the readers do once they reach the end
    assertEquals(ContentHash.of(padded), raw.hex());
    assertNotEquals(ContentHash.of(gzipOnly), ContentHash.of(padded), "the padding is content: a changed file");
  }
}
