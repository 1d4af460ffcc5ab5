// A local Anthropic Messages API for the real claude-code CLI, so it runs offline against a scripted conversation: one
// step per `POST /v1/messages`, streamed as the API streams it, and every request recorded.
import {
  pieces,
  scriptPlayer,
  sendJson,
  startMockServer,
  startSse,
  type MockServer,
  type RecordedRequest,
} from './mock-server';

export type AnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature?: string }
  | { type: 'tool_use'; name: string; input: unknown; id?: string };

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

export interface AnthropicReply {
  blocks: AnthropicBlock[];
  /** Default: `tool_use` when a block is a tool_use, else `end_turn`. */
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';
  /** Default: deterministic figures derived from the step number and the blocks' sizes. */
  usage?: AnthropicUsage;
}

/**
 * An HTTP error step answers with the API's error body. On a 401 it sends `x-should-retry: false` by default, which
 * stops claude-code's ten retries with backoff (≈ 3 minutes). `times: n` answers n requests (Infinity: every request
 * from then on).
 */
export interface AnthropicError {
  status: number;
  /** The API's error type, e.g. `authentication_error`, `overloaded_error`. */
  type: string;
  message: string;
  headers?: Record<string, string>;
  times?: number;
}

export type AnthropicStep = AnthropicReply | AnthropicError;

export interface AnthropicMock extends MockServer {
  /** The `POST /v1/messages` requests only, in order. */
  messageRequests(): RecordedRequest[];
}

/**
 * Streams each reply as SSE exactly as the API does (message_start, content_block_start/delta/stop, message_delta,
 * message_stop) and answers the CLI's `HEAD /` warm-up. Once the script is used up, every request gets a 500 that says
 * so.
 *
 *   const model = await startAnthropicMock([
 *     {
 *       blocks: [
 *         { type: 'thinking', thinking: 'Look first.' },
 *         { type: 'tool_use', name: 'Bash', input: { command: 'ls' } },
 *       ],
 *     },
 *     { blocks: [{ type: 'text', text: 'Done.' }] },
 *   ]);
 *   env ANTHROPIC_BASE_URL=model.url … ; model.requests; await model.close();
 */
export async function startAnthropicMock(script: readonly AnthropicStep[]): Promise<AnthropicMock> {
  const takeStep = scriptPlayer(script);
  const reply = createAnthropicReplies();

  const server = await startMockServer((request, res) => {
    const url = new URL(request.path, 'http://mock');
    if (request.method === 'HEAD' || (request.method === 'GET' && url.pathname === '/')) {
      res.writeHead(200);
      res.end();
      return;
    }
    if (request.method === 'GET' && url.pathname === '/v1/models') {
      sendJson(res, 200, { data: [], has_more: false, first_id: null, last_id: null });
      return;
    }
    if (request.method === 'POST' && url.pathname === '/v1/messages/count_tokens') {
      sendJson(res, 200, { input_tokens: approxTokens(JSON.stringify(request.body ?? '')) });
      return;
    }
    if (request.method !== 'POST' || url.pathname !== '/v1/messages') {
      sendJson(res, 404, {
        type: 'error',
        error: { type: 'not_found_error', message: `mock: no route ${request.method} ${url.pathname}` },
      });
      return;
    }
    const step = takeStep();
    if (!step) {
      sendJson(res, 500, {
        type: 'error',
        error: { type: 'api_error', message: 'mock: the scripted conversation has no more steps' },
      });
      return;
    }
    if ('status' in step) {
      const headers = {
        'request-id': `req_mock_${server.requests.length}`,
        ...(step.status === 401 ? { 'x-should-retry': 'false' } : {}),
        ...step.headers,
      };
      sendJson(res, step.status, { type: 'error', error: { type: step.type, message: step.message } }, headers);
      return;
    }
    const body = (request.body ?? {}) as { model?: string; stream?: boolean };
    const message = reply(step, body.model ?? 'claude-sonnet-4-6');
    if (body.stream === false) {
      sendJson(res, 200, finalMessage(message));
      return;
    }
    const send = startSse(res, { 'request-id': `req_mock_${Date.now()}` });
    for (const { event, data } of messageEvents(message)) send(event, data);
    res.end();
  });

  return {
    ...server,
    messageRequests: () =>
      server.requests.filter(
        (r) => r.method === 'POST' && r.path.startsWith('/v1/messages') && !r.path.includes('count_tokens'),
      ),
  };
}

/** One scripted reply, made concrete: ids given, usage and stop reason decided. */
export interface AnthropicMessage {
  /** The `message` of message_start: no content yet, output_tokens 1, as the API sends it. */
  message: Record<string, unknown>;
  blocks: IdBlock[];
  stopReason: string;
  usage: AnthropicUsage;
}

/** Numbers replies and tool calls across one mock's lifetime (msg_mock_01, toolu_mock_01, ...). */
export function createAnthropicReplies(): (step: AnthropicReply, model: string) => AnthropicMessage {
  let messageCount = 0;
  let toolCount = 0;
  return (step, model) => {
    messageCount++;
    const blocks = step.blocks.map((b) =>
      b.type === 'tool_use' ? { ...b, id: b.id ?? `toolu_mock_${String(++toolCount).padStart(2, '0')}` } : b,
    );
    const usage = step.usage ?? defaultUsage(messageCount, blocks);
    const stopReason = step.stopReason ?? (blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
    const message = {
      id: `msg_mock_${String(messageCount).padStart(2, '0')}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [] as unknown[],
      stop_reason: null as string | null,
      stop_sequence: null,
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
        cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
        output_tokens: 1,
        service_tier: 'standard',
      },
    };
    return { message, blocks, stopReason, usage };
  };
}

/** The whole reply as one JSON message (`stream: false`, Bedrock's InvokeModel). */
export function finalMessage({ message, blocks, stopReason, usage }: AnthropicMessage): Record<string, unknown> {
  return {
    ...message,
    content: blocks.map(finalBlock),
    stop_reason: stopReason,
    usage: { ...(message.usage as object), output_tokens: usage.output_tokens },
  };
}

export type IdBlock =
  Exclude<AnthropicBlock, { type: 'tool_use' }> | (Extract<AnthropicBlock, { type: 'tool_use' }> & { id: string });

function finalBlock(block: IdBlock): unknown {
  if (block.type === 'thinking')
    return { type: 'thinking', thinking: block.thinking, signature: block.signature ?? mockSignature(block.thinking) };
  return block;
}

/** The Messages API's streaming events for one reply, in order: what the SSE stream carries, and what Bedrock's
 * InvokeModelWithResponseStream wraps one by one in its event-stream chunks. */
export function messageEvents({
  message,
  blocks,
  stopReason,
  usage,
}: AnthropicMessage): { event: string; data: Record<string, unknown> }[] {
  const events: { event: string; data: Record<string, unknown> }[] = [];
  const send = (event: string, data: Record<string, unknown>) => events.push({ event, data });
  send('message_start', { type: 'message_start', message });
  send('ping', { type: 'ping' });
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const text of pieces(block.text))
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
    } else if (block.type === 'thinking') {
      send('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      });
      for (const thinking of pieces(block.thinking)) {
        send('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'thinking_delta', thinking },
        });
      }
      send('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'signature_delta', signature: block.signature ?? mockSignature(block.thinking) },
      });
    } else {
      send('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      for (const partial_json of pieces(JSON.stringify(block.input))) {
        send('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json },
        });
      }
    }
    send('content_block_stop', { type: 'content_block_stop', index });
  });
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  });
  send('message_stop', { type: 'message_stop' });
  return events;
}

function mockSignature(thinking: string): string {
  return Buffer.from(`mock-signature:${thinking.length}`).toString('base64');
}

function approxTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function defaultUsage(messageNumber: number, blocks: IdBlock[]): AnthropicUsage {
  const outputText = blocks
    .map((b) => (b.type === 'text' ? b.text : b.type === 'thinking' ? b.thinking : JSON.stringify(b.input)))
    .join('');
  return {
    input_tokens: 1000 + 200 * messageNumber,
    output_tokens: 10 + approxTokens(outputText),
    cache_read_input_tokens: messageNumber > 1 ? 500 : 0,
    cache_creation_input_tokens: messageNumber === 1 ? 500 : 0,
  };
}
