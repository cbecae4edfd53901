package dev.toolcalls.pipeline.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscordLogGeneratorTest {
  @TempDir Path tmp;

  static DiscordLogGenerator.Result generate(Path out, int threads, Integer targetMb) throws Exception {
    DiscordLogGenerator.Options o = new DiscordLogGenerator.Options();
    o.outDir = out;
    o.days = 3;
    o.start = LocalDate.of(2026, 1, 1);
    o.seed = 9;
    o.requestsPerDay = 300;
    o.threads = threads;
    o.targetMb = targetMb;
    return new DiscordLogGenerator(o).generate();
  }

  @Test
  void sameOptionsGiveTheSameBytesWhateverTheThreads() throws Exception {
    DiscordLogGenerator.Result a = generate(tmp.resolve("a"), 1, null);
    DiscordLogGenerator.Result b = generate(tmp.resolve("b"), 2, null);
    assertEquals(List.of("conversations_2026-01-01.jsonl", "conversations_2026-01-02.jsonl", "conversations_2026-01-03.jsonl"),
        a.files().stream().map(p -> p.getFileName().toString()).toList());
    for (int i = 0; i < a.files().size(); i++) {
      assertArrayEquals(Files.readAllBytes(a.files().get(i)), Files.readAllBytes(b.files().get(i)));
    }
    assertEquals(900, a.requests());
  }

  @Test
  void everyLineIsAnEventAndAlmostEveryRequestIsAnswered() throws Exception {
    DiscordLogGenerator.Result r = generate(tmp.resolve("c"), 2, null);
    ObjectMapper json = new ObjectMapper();
    Set<String> requests = new HashSet<>();
    Set<String> answered = new HashSet<>(), asked = new HashSet<>();
    for (Path f : r.files()) {
      for (String line : Files.readAllLines(f)) {
        JsonNode e = json.readTree(line);
        assertTrue(e.hasNonNull("type") && e.hasNonNull("request_id") && e.hasNonNull("timestamp"), line);
        String key = f + e.get("request_id").asText();
        if ("request".equals(e.get("type").asText())) {
          requests.add(key + e.get("timestamp").asText()); // a retried line counts once
          asked.add(key);
        }
        if ("response".equals(e.get("type").asText()) || "error".equals(e.get("type").asText())) answered.add(key);
      }
    }
    assertEquals(900, requests.size());
    asked.removeAll(answered);
    assertTrue(asked.size() <= 9, "incomplete turns are rare: " + asked.size());
  }

  @Test
  void targetMbSetsTheTotalSize() throws Exception {
    DiscordLogGenerator.Result r = generate(tmp.resolve("d"), 2, 5);
    assertTrue(r.bytes() > 3_750_000 && r.bytes() < 6_250_000, "about 5 MB: " + r.bytes());
  }
}
