// A local OpenAI Responses API for the real codex CLI, so it runs offline against a scripted conversation: one step
// per `POST /v1/responses`, streamed as the API streams it, and every request recorded.
import type http from 'node:http';
import {
  pieces,
  openAIStyleStep,
  scriptPlayer,
  startMockServer,
  startSse,
  type MockServer,
  type RecordedRequest,
} from './mock-server';

export type OpenAIItem =
  | { type: 'message'; text: string }
  | { type: 'reasoning'; summary: string }
  /** `arguments` as an object is sent JSON-encoded, as the API does. */
  | { type: 'function_call'; name: string; arguments: unknown; call_id?: string }
  /** A free-form tool (codex's apply_patch): `input` is the raw text. */
  | { type: 'custom_tool_call'; name: string; input: string; call_id?: string };

export interface OpenAIUsage {
  input_tokens: number;
  cached_tokens?: number;
  output_tokens: number;
  reasoning_tokens?: number;
}

export interface OpenAIReply {
  items: OpenAIItem[];
  usage?: OpenAIUsage;
}

/**
 * An HTTP error step answers with the API's error body; `times: n` makes it answer n requests (Infinity: all the rest),
 * which is how codex's 1 + 5 tries on a 401 are met.
 */
export interface OpenAIError {
  status: number;
  message: string;
  /** The API's error type/code, e.g. `invalid_request_error` / `invalid_api_key`. */
  type?: string;
  code?: string;
  times?: number;
}

export type OpenAIStep = OpenAIReply | OpenAIError;

export interface OpenAIMock extends MockServer {
  /** The `POST …/responses` requests only, in order. */
  responseRequests(): RecordedRequest[];
}

/**
 * Streams each reply as SSE: response.created, response.output_item.added, text/reasoning/arguments deltas,
 * response.output_item.done, response.completed with usage. Once the script is used up, every request gets a 500 that
 * says so.
 *
 *   const model = await startOpenAIMock([
 *     { items: [{ type: 'function_call', name: 'shell', arguments: { command: ['bash', '-lc', 'ls'] } }] },
 *     { items: [{ type: 'message', text: 'Done.' }] },
 *   ]);
 */
export async function startOpenAIMock(script: readonly OpenAIStep[]): Promise<OpenAIMock> {
  let responseCount = 0;
  let callCount = 0;

  const takeStep = scriptPlayer(script);

  const server = await startMockServer((request, res) => {
    const step = openAIStyleStep<OpenAIReply>(request, res, '/responses', takeStep);
    if (!step) return;
    responseCount++;
    const body = (request.body ?? {}) as { model?: string };
    const id = `resp_mock_${String(responseCount).padStart(2, '0')}`;
    const items = step.items.map((item, i) =>
      toApiItem(item, `${id}_${i}`, () => `call_mock_${String(++callCount).padStart(2, '0')}`),
    );
    const usage = step.usage ?? defaultUsage(responseCount, items);
    streamResponse(res, id, body.model ?? 'gpt-5.4', items, usage);
  });

  return {
    ...server,
    responseRequests: () => server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/responses')),
  };
}

/**
 * The `$CODEX_HOME/config.toml` that points codex at this mock (and no telemetry, no update check): a model provider
 * of its own, as codex 0.169 ignores OPENAI_BASE_URL.
 */
export function codexConfigToml(mockUrl: string, envKey = 'OPENAI_API_KEY'): string {
  return [
    'model_provider = "mock"',
    'check_for_update_on_startup = false',
    '',
    '[model_providers.mock]',
    'name = "mock"',
    `base_url = "${mockUrl}/v1"`,
    `env_key = "${envKey}"`,
    'wire_api = "responses"',
    '',
    '[analytics]',
    'enabled = false',
    '',
  ].join('\n');
}

type ApiItem = Record<string, unknown> & { type: string; id: string };

function toApiItem(item: OpenAIItem, id: string, nextCallId: () => string): ApiItem {
  switch (item.type) {
    case 'message':
      return {
        type: 'message',
        id: `msg_${id}`,
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: item.text, annotations: [] }],
      };
    case 'reasoning':
      return { type: 'reasoning', id: `rs_${id}`, summary: [{ type: 'summary_text', text: item.summary }] };
    case 'function_call':
      return {
        type: 'function_call',
        id: `fc_${id}`,
        status: 'completed',
        name: item.name,
        arguments: typeof item.arguments === 'string' ? item.arguments : JSON.stringify(item.arguments),
        call_id: item.call_id ?? nextCallId(),
      };
    case 'custom_tool_call':
      return {
        type: 'custom_tool_call',
        id: `ctc_${id}`,
        status: 'completed',
        name: item.name,
        input: item.input,
        call_id: item.call_id ?? nextCallId(),
      };
  }
}

function streamResponse(
  res: http.ServerResponse,
  id: string,
  model: string,
  items: ApiItem[],
  usage: OpenAIUsage,
): void {
  const send = startSse(res);
  const response = {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'in_progress',
    model,
    output: [] as unknown[],
  };
  let seq = 0;
  const event = (type: string, data: object) => send(type, { type, sequence_number: seq++, ...data });
  event('response.created', { response });
  event('response.in_progress', { response });
  items.forEach((item, output_index) => {
    const empty =
      item.type === 'message'
        ? { ...item, status: 'in_progress', content: [] }
        : item.type === 'reasoning'
          ? { ...item, summary: [] }
          : item.type === 'function_call'
            ? { ...item, status: 'in_progress', arguments: '' }
            : { ...item, status: 'in_progress', input: '' };
    event('response.output_item.added', { output_index, item: empty });
    if (item.type === 'message') {
      const text = (item.content as { text: string }[])[0]!.text;
      event('response.content_part.added', {
        item_id: item.id,
        output_index,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      });
      for (const delta of pieces(text))
        event('response.output_text.delta', { item_id: item.id, output_index, content_index: 0, delta });
      event('response.output_text.done', { item_id: item.id, output_index, content_index: 0, text });
      event('response.content_part.done', {
        item_id: item.id,
        output_index,
        content_index: 0,
        part: { type: 'output_text', text, annotations: [] },
      });
    } else if (item.type === 'reasoning') {
      const text = (item.summary as { text: string }[])[0]!.text;
      event('response.reasoning_summary_part.added', {
        item_id: item.id,
        output_index,
        summary_index: 0,
        part: { type: 'summary_text', text: '' },
      });
      for (const delta of pieces(text))
        event('response.reasoning_summary_text.delta', { item_id: item.id, output_index, summary_index: 0, delta });
      event('response.reasoning_summary_text.done', { item_id: item.id, output_index, summary_index: 0, text });
      event('response.reasoning_summary_part.done', {
        item_id: item.id,
        output_index,
        summary_index: 0,
        part: { type: 'summary_text', text },
      });
    } else if (item.type === 'function_call') {
      for (const delta of pieces(item.arguments as string))
        event('response.function_call_arguments.delta', { item_id: item.id, output_index, delta });
      event('response.function_call_arguments.done', { item_id: item.id, output_index, arguments: item.arguments });
    } else {
      for (const delta of pieces(item.input as string))
        event('response.custom_tool_call_input.delta', { item_id: item.id, output_index, delta });
      event('response.custom_tool_call_input.done', { item_id: item.id, output_index, input: item.input });
    }
    event('response.output_item.done', { output_index, item });
  });
  const cached = usage.cached_tokens ?? 0;
  const reasoning = usage.reasoning_tokens ?? 0;
  event('response.completed', {
    response: {
      ...response,
      status: 'completed',
      output: items,
      usage: {
        input_tokens: usage.input_tokens,
        input_tokens_details: { cached_tokens: cached },
        output_tokens: usage.output_tokens,
        output_tokens_details: { reasoning_tokens: reasoning },
        total_tokens: usage.input_tokens + usage.output_tokens,
      },
    },
  });
  res.end();
}

function defaultUsage(responseNumber: number, items: ApiItem[]): OpenAIUsage {
  const size = JSON.stringify(items).length;
  return {
    input_tokens: 2000 + 300 * responseNumber,
    cached_tokens: responseNumber > 1 ? 1024 : 0,
    output_tokens: 20 + Math.ceil(size / 16),
    reasoning_tokens: items.some((i) => i.type === 'reasoning') ? 16 : 0,
  };
}
