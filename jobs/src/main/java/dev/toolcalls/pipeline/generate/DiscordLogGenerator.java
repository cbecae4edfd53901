package dev.toolcalls.pipeline.generate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Deterministic synthetic Discord bot logs in the real bot's line format: two accounts whose turns
 * interleave, varied commands and game states, multi-tool turns, failures and self-corrections,
 * errors, and (when {@code messy}) the rare cases real logs hold: retried lines, turns across
 * midnight, incomplete turns, older bots' string arguments, context events, CRLF lines. Each day
 * has its own random stream, so files are identical whatever the thread count.
 */
public final class DiscordLogGenerator {
  /** What to generate. */
  public static final class Options {
    public Path outDir;
    public int days = 30;
    public LocalDate start = LocalDate.of(2026, 1, 1);
    public long seed = 42;
    public int requestsPerDay = 400;
    /** When set, requestsPerDay is derived so that the total is about targetMb * 1e6 bytes. */
    public Integer targetMb;
    public int threads = Runtime.getRuntime().availableProcessors();
    public boolean messy = true;
  }

  /** What was written. */
  public record Result(List<Path> files, long bytes, long requests, double seconds) {}

  private final Options o;

  public DiscordLogGenerator(Options o) {
    this.o = o;
  }

  private static long utf8Bytes(List<String> lines) {
    long n = 0;
    for (String l : lines) n += l.getBytes(StandardCharsets.UTF_8).length;
    return n;
  }

  public Result generate() throws IOException {
    long t0 = System.nanoTime();
    Files.createDirectories(o.outDir);
    int perDay = o.requestsPerDay;
    if (o.targetMb != null) {
      // Bytes per request depend a little on the day's length (the inventory grows), so estimate
      // twice, the second time with a sample day as long as the estimated one (capped).
      int sampleSize = 2000;
      for (int round = 0; round < 2; round++) {
        double bytesPerRequest = utf8Bytes(new Day(o, 0, sampleSize).render()) / (double) sampleSize;
        perDay = (int) Math.max(1, Math.round(o.targetMb * 1e6 / o.days / bytesPerRequest));
        sampleSize = Math.min(perDay, 20_000);
      }
    }
    final int requests = perDay;
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, o.threads));
    try {
      List<Future<long[]>> work = new ArrayList<>();
      for (int d = 0; d < o.days; d++) {
        final int day = d;
        work.add(pool.submit(() -> new Day(o, day, requests).write()));
      }
      long bytes = 0, reqs = 0;
      List<Path> files = new ArrayList<>();
      for (int d = 0; d < o.days; d++) {
        long[] r = work.get(d).get();
        bytes += r[0];
        reqs += r[1];
        files.add(o.outDir.resolve("conversations_" + o.start.plusDays(d) + ".jsonl"));
      }
      return new Result(files, bytes, reqs, (System.nanoTime() - t0) / 1e9);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("generation failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- one day ----------------------------------------------------------------------------------

  private static final String[] USERS = {"391354168675139594:astron6695", "218830401234567890:fishfan#0420", "12345:TestUser#1234", "774411223344556677:Zoë_plays"};
  private static final String[] ITEMS = {"Cowhide", "Raw beef", "Tuna", "Raw shrimps", "Small fishing net", "Bones", "Feather", "Lobster"};
  private static final String[] NPCS = {"Giant_frog", "Frog", "Chicken", "Cow", "Goblin"};
  private static final String[][] PLACES = {{"lumbridge fishing", "3242", "3159"}, {"draynor bank", "3093", "3244"}, {"lumbridge castle", "3222", "3218"}, {"draynor fishing", "3087", "3228"}, {"cow field", "3257", "3266"}};
  private static final String DISPATCHED = ", \"note\": \"Command queued. Use get_logs() or get_command_response() to verify execution.\"";

  /** Generates one day's file from its own random stream. */
  private static final class Day {
    final Options o;
    final int index;
    final int requests;
    final LocalDate date;
    final SplittableRandom rnd;
    final List<long[]> order = new ArrayList<>(); // {micros, sequence}
    final List<String> lines = new ArrayList<>();
    int x = 3222, y = 3218, hp = 35;
    final List<String> inventory = new ArrayList<>(List.of("Cowhide", "Raw beef"));

    Day(Options o, int index, int requests) {
      this.o = o;
      this.index = index;
      this.requests = requests;
      this.date = o.start.plusDays(index);
      this.rnd = new SplittableRandom(o.seed * 1_000_003L + index * 7919L);
    }

    long[] write() throws IOException {
      Path file = o.outDir.resolve("conversations_" + date + ".jsonl");
      long written = 0;
      // Line by line: a day of a 10 GB month is more than one Java array can hold.
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
        for (String line : render()) {
          byte[] b = line.getBytes(StandardCharsets.UTF_8);
          out.write(b);
          written += b.length;
        }
      }
      // As a bot leaves it: last written just after its day, not a moment ago (which would make an
      // extract take it for a file still being written; see discord.settle_minutes).
      long dayEnd = (date.toEpochDay() + 1) * 86_400_000L + 300_000L;
      Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(Math.min(dayEnd, System.currentTimeMillis() - 3_600_000L)));
      if (index % 7 == 3) {
        Files.writeString(o.outDir.resolve("conversations_" + date + ".log"),
            date + " 08:00:00,123 INFO discord.client: logging in using static token\n" + date + " 08:00:01,456 INFO bot: ready\n");
      }
      return new long[] {written, requests};
    }

    /** The day's lines in the order the bot wrote them. */
    List<String> render() {
      long dayStart = date.toEpochDay() * 86_400_000_000L;
      long step = 86_400_000_000L / (requests + 1);
      for (int i = 0; i < requests; i++) {
        long t = dayStart + i * step + (long) (rnd.nextDouble() * step * 0.9);
        if (o.messy && i == requests - 1 && rnd.nextInt(3) == 0) t = dayStart + 86_400_000_000L - 2_000_000L - rnd.nextInt(8_000_000);
        turn(t);
      }
      Integer[] idx = new Integer[lines.size()];
      for (int i = 0; i < idx.length; i++) idx[i] = i;
      java.util.Arrays.sort(idx, (a, b) -> {
        int c = Long.compare(order.get(a)[0], order.get(b)[0]);
        return c != 0 ? c : Long.compare(order.get(a)[1], order.get(b)[1]);
      });
      List<String> sorted = new ArrayList<>(idx.length);
      for (Integer i : idx) sorted.add(lines.get(i));
      return sorted;
    }

    private void emit(long micros, String json) {
      boolean crlf = o.messy && rnd.nextInt(500) == 0;
      order.add(new long[] {micros, order.size()});
      lines.add(json + (crlf ? "\r\n" : "\n"));
      if (o.messy && rnd.nextInt(400) == 0) { // a retry writes the same line again
        order.add(new long[] {micros, order.size()});
        lines.add(json + "\n");
      }
    }

    private void turn(long t) {
      String rid = requestId(t);
      String[] user = USERS[rnd.nextInt(USERS.length)].split(":");
      String account = rnd.nextInt(3) == 0 ? "main" : "aux";
      int kind = rnd.nextInt(100);
      Turn turn = new Turn(rid, t);
      String taskType;
      String message;
      if (kind < 18) { // navigation
        String[] p = PLACES[rnd.nextInt(PLACES.length)];
        boolean byName = rnd.nextBoolean();
        message = byName ? "Go to the " + p[0] : "Go to " + p[1] + " " + p[2];
        taskType = "simple_command";
        turn.state(this, "location");
        if (byName) turn.call("lookup_location", "{\"location\": " + q(p[0]) + "}", "{\"x\": " + p[1] + ", \"y\": " + p[2] + ", \"plane\": 0}");
        turn.command(this, "GOTO " + p[1] + " " + p[2] + " 0");
        x = Integer.parseInt(p[1]);
        y = Integer.parseInt(p[2]);
        turn.respond(rnd.nextBoolean() ? "Traveling to " + p[0] + "." : "The command 'GOTO " + p[1] + " " + p[2] + " 0' has been successfully dispatched for your account.");
      } else if (kind < 30) { // combat loop
        String npc = NPCS[rnd.nextInt(NPCS.length)];
        int n = 50 + rnd.nextInt(400);
        message = "Kill loop " + npc.toLowerCase().replace('_', ' ') + "s " + n;
        taskType = "loop_command";
        turn.command(this, "KILL_LOOP " + npc + " none " + n);
        turn.respond("Started killing " + npc.replace('_', ' ') + "s (" + n + " kills, no food).");
      } else if (kind < 42) { // fishing
        message = rnd.nextBoolean() ? "Start the draynor fishing routine" : "Run the draynor fishing routine 150 times";
        taskType = "loop_command";
        turn.state(this, "location");
        turn.command(this, "FISH_DRAYNOR_LOOP 150");
        turn.respond("Started the Draynor fishing routine for 150 loops.");
      } else if (kind < 50) { // banking, several steps
        message = "Open the bank and withdraw one small fishing net";
        taskType = "multi_step";
        turn.state(this, "location");
        turn.command(this, "BANK_OPEN");
        turn.command(this, "BANK_WITHDRAW 1 Small_fishing_net");
        turn.command(this, "BANK_CLOSE");
        if (inventory.size() < 28) inventory.add("Small fishing net"); // the game's 28 slots: a long day's states stayed the size of a short one's
        turn.respond(rnd.nextInt(4) == 0 ? "Opened the bank and withdrew the net, but could not close the bank." : "The bank has been closed and you have a small fishing net in your inventory.");
      } else if (kind < 57) { // inventory
        String item = inventory.isEmpty() ? "Cowhide" : inventory.get(rnd.nextInt(inventory.size()));
        message = "Drop all " + item.toLowerCase() + " in your inventory";
        taskType = "simple_command";
        turn.state(this, "inventory");
        turn.command(this, "DROP_ALL " + item.replace(' ', '_'));
        inventory.remove(item);
        turn.respond("Dropped all " + item.toLowerCase() + ".");
      } else if (kind < 68) { // status
        boolean levels = rnd.nextBoolean();
        message = levels ? "What are your levels?" : (rnd.nextBoolean() ? "Where r u" : "What is your location?");
        taskType = "status_query";
        turn.state(this, levels ? "skills" : "location");
        turn.respond(levels ? "Attack: 40, Strength: 41, Defence: 39, Hitpoints: " + hp + "." : "My current location is (" + x + ", " + y + ") on plane 0.");
      } else if (kind < 73) { // interaction
        message = "Interact with npc fishing spot shrimp";
        taskType = "simple_command";
        turn.state(this, "location");
        turn.command(this, "INTERACT_NPC Fishing_spot Bait shrimp");
        turn.respond("Started fishing for shrimp.");
      } else if (kind < 79) { // a wrong command, then the corrected one
        message = "Switch to strength attack style";
        taskType = "simple_command";
        turn.call("send_command", "{\"command\": \"ATTACK_STYLE Strength\"}", "{\"success\": false, \"error\": \"Unknown command: ATTACK_STYLE\"}");
        turn.command(this, "SET_ATTACK_STYLE Strength");
        turn.respond("Switched to Strength attack style.");
      } else if (kind < 84) { // a failure
        message = "Pick up the small fishing net off the ground";
        taskType = "simple_command";
        turn.call("scan_tile_objects", "{\"radius\": 10}", "{\"success\": true, \"objects\": []}");
        turn.respond("I couldn't find a small fishing net nearby. Check your surroundings manually.");
      } else if (kind < 89) { // discovery
        message = "List all nearby NPCs";
        taskType = "status_query";
        turn.call("query_nearby", "{\"include_npcs\": true}", "{\"success\": true, \"npcs\": [\"Fishing spot\", \"Banker\", \"Man\"]}");
        turn.respond("Nearby: Fishing spot, Banker, Man.");
      } else if (kind < 92) { // client
        message = "Restart the client";
        taskType = "simple_command";
        turn.call("restart_runelite", "{}", "{\"restarted\": true, \"start_result\": {\"pid\": " + (1000 + rnd.nextInt(9000)) + "}}");
        turn.respond("The client has been restarted.");
      } else if (kind < 97) { // conversation
        message = rnd.nextBoolean() ? "Hey" : "Thanks, that's all for now 🎣";
        taskType = "conversation";
        turn.respond(rnd.nextBoolean() ? "Hello! What should I do?" : "You're welcome. Café break time!");
      } else if (kind < 98) { // an error and no response
        message = "Fish shrimps at lumbridge then bank";
        taskType = "multi_step";
        turn.state(this, "location");
        turn.error("name 're' is not defined");
      } else if (kind < 99) { // an empty response that Discord refused
        message = "KILL_LOOP Giant_frog 250";
        taskType = "conversation";
        turn.command(this, "KILL_LOOP Giant_frog 250");
        turn.respond("\n");
        turn.error("400 Bad Request (error code: 50006): Cannot send an empty message");
      } else {
        message = "Check your logs";
        taskType = "simple_command";
        turn.call("get_logs", "{\"lines\": 20}", "{\"lines\": [], \"truncated\": false}");
        turn.respond("No errors in the last 20 log lines.");
      }
      if (o.messy && rnd.nextInt(200) == 0) turn.context("{\"channel\": \"bot-commands\", \"recent_messages\": " + rnd.nextInt(10) + "}");
      boolean incomplete = o.messy && rnd.nextInt(500) == 0;
      emit(t, "{\"type\": \"request\", \"request_id\": " + q(rid) + ", \"timestamp\": " + q(ts(t)) + ", \"user_id\": " + user[0]
          + ", \"username\": " + q(user[1]) + ", \"message\": " + q(message) + ", \"task_type\": " + q(taskType) + ", \"account_id\": " + q(account) + "}");
      for (int i = 0; i < turn.events.size(); i++) {
        if (incomplete && turn.events.get(i).contains("\"type\": \"response\"")) break;
        if (incomplete && turn.events.get(i).contains("\"type\": \"error\"")) break;
        emit(turn.times.get(i), turn.events.get(i));
      }
    }

    String requestId(long micros) {
      long ofDay = Math.floorMod(micros, 86_400_000_000L);
      long s = ofDay / 1_000_000L;
      return String.format("%02d%02d%02d%04d", s / 3600, (s / 60) % 60, s % 60, (ofDay % 1_000_000L) / 100);
    }

    /** One turn's events after its request, with increasing times. */
    final class Turn {
      final String rid;
      long t;
      final List<String> events = new ArrayList<>();
      final List<Long> times = new ArrayList<>();

      Turn(String rid, long t) {
        this.rid = rid;
        this.t = t;
      }

      private long next() {
        t += 50_000 + (long) (rnd.nextDouble() * 3_000_000);
        return t;
      }

      void add(String json) {
        times.add(t);
        events.add(json);
      }

      void call(String tool, String args, String result) {
        long at = next();
        String a = args;
        if (o.messy && "send_command".equals(tool) && rnd.nextInt(300) == 0) a = q(args.substring(13, args.length() - 2)); // an older bot's plain string
        add("{\"type\": \"tool_call\", \"request_id\": " + q(rid) + ", \"timestamp\": " + q(ts(at)) + ", \"tool\": " + q(tool) + ", \"arguments\": " + a + ", \"result\": " + result + "}");
      }

      void command(Day d, String command) {
        call("send_command", "{\"command\": " + q(command) + "}", "{\"dispatched\": true, \"command\": " + q(command) + DISPATCHED + ", \"account_id\": \"aux\"}");
      }

      void state(Day d, String field) {
        StringBuilder s = new StringBuilder("{\"success\": true, \"account_id\": \"aux\", \"state\": {");
        s.append("\"location\": {\"x\": ").append(d.x += rnd.nextInt(5) - 2).append(", \"y\": ").append(d.y += rnd.nextInt(5) - 2).append(", \"plane\": 0}");
        s.append(", \"health\": {\"current\": ").append(d.hp = 20 + rnd.nextInt(21)).append(", \"max\": 40}");
        s.append(", \"inventory\": {\"used\": ").append(d.inventory.size()).append(", \"capacity\": 28, \"items\": [");
        for (int i = 0; i < d.inventory.size(); i++) s.append(i > 0 ? ", " : "").append(q(d.inventory.get(i)));
        s.append("]}");
        if ("skills".equals(field)) s.append(", \"skills\": {\"attack\": 40, \"strength\": 41, \"defence\": 39, \"fishing\": ").append(10 + rnd.nextInt(30)).append("}");
        s.append("}}");
        if (d.inventory.size() < 20 && rnd.nextInt(4) == 0) d.inventory.add(ITEMS[rnd.nextInt(ITEMS.length)]);
        call("get_game_state", "{\"fields\": [\"location\", \"health\", \"inventory\"" + ("skills".equals(field) ? ", \"skills\"" : "") + "]}", s.toString());
      }

      void context(String json) {
        long at = t + 1;
        times.add(0, at);
        events.add(0, "{\"type\": \"context\", \"request_id\": " + q(rid) + ", \"timestamp\": " + q(ts(at)) + ", \"context\": " + json + "}");
      }

      void respond(String text) {
        long at = next();
        add("{\"type\": \"response\", \"request_id\": " + q(rid) + ", \"timestamp\": " + q(ts(at)) + ", \"response\": " + q(text) + ", \"tool_calls_count\": " + events.size() + ", \"error\": null}");
      }

      void error(String text) {
        long at = next();
        add("{\"type\": \"error\", \"request_id\": " + q(rid) + ", \"timestamp\": " + q(ts(at)) + ", \"error\": " + q(text) + ", \"context\": null}");
      }
    }
  }

  /** "2026-01-20T22:48:05.094928" for microseconds since the epoch (zone-less, as the bot writes). */
  static String ts(long micros) {
    long days = Math.floorDiv(micros, 86_400_000_000L);
    long ofDay = Math.floorMod(micros, 86_400_000_000L);
    long s = ofDay / 1_000_000L;
    return String.format("%sT%02d:%02d:%02d.%06d", LocalDate.ofEpochDay(days), s / 3600, (s / 60) % 60, s % 60, ofDay % 1_000_000L);
  }

  /** A JSON string literal: quotes, backslashes and control characters escaped; other text as is. */
  static String q(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c == '\n') sb.append("\\n");
      else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.append('"').toString();
  }
}
