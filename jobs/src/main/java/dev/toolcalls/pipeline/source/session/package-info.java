/**
 * The {@code claude_session} source: Claude Code transcripts ({@code ~/.claude/projects/<project>/<sessionId>.jsonl})
 * read one file per task ({@link dev.toolcalls.pipeline.source.session.SessionReadFunction}), streamed
 * line by line ({@link dev.toolcalls.pipeline.source.session.SessionFileReader}) and cut into turns
 * ({@link dev.toolcalls.pipeline.source.session.SessionTurnAssembler}).
 *
 * <p>A turn is a real prompt and the assistant lines after it up to the next real prompt; it is an
 * example when it calls a tool of a game MCP server ({@code sessions.game_servers}). Its columns:
 *
 * <ul>
 *   <li>{@code id}: {@code cs-} + 16 hex of SHA-256 over the prompt line's {@code sessionId} (the file
 *       name when a line has none) and {@code uuid} ({@code StableIds.session}).
 *   <li>{@code source_file}, {@code source_line}: the path under the sessions folder, the prompt's line.
 *   <li>{@code example_type}: {@code multi_step} with more than two game calls, else {@code direct_execution}.
 *   <li>{@code user_message}: the prompt; a string as written, blocks' texts joined with '\n' (an
 *       image as {@code [image: image/png]}).
 *   <li>{@code tool_calls}: the game calls in file order, tool named without {@code mcp__<server>__};
 *       arguments the {@code input} as compact JSON (numbers as written); result the tool_result's
 *       content (a string as written, blocks' texts joined with '\n', an image as a placeholder, other
 *       blocks as JSON); is_error true/false, null when no result came before the next prompt.
 *   <li>{@code response_text}: the turn's assistant text blocks in file order, joined with a blank
 *       line; {@code reasoning}: its thinking blocks, joined the same way (null when none).
 *   <li>{@code game_state}: the last successful state-tool result (conf/rules/tools.yaml
 *       {@code state_tools}) that is a JSON object, its {@code state} member if it has one.
 *   <li>{@code context}: {@code {"session_id": ..., "client_version": ...}}.
 *   <li>{@code outcome}/{@code error}: "error" with the result text when the last game call failed,
 *       "error" with "no result: ..." when it has no result, else "ok" (an earlier failure that
 *       was retried does not make the turn fail).
 *   <li>{@code request_id}: the prompt line's uuid; {@code event_time}/{@code event_date}: its
 *       timestamp in UTC; {@code logged_task_type}, {@code account_id}: null.
 * </ul>
 */
package dev.toolcalls.pipeline.source.session;
