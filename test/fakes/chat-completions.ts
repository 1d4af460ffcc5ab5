// A local OpenAI Chat Completions API (what OpenRouter, Gemini's OpenAI-compatible endpoint and every "custom"
// endpoint speak) for the real opencode and hermes CLIs, so they run offline against a scripted conversation: one step
// per `POST …/chat/completions`, and every request recorded.
import type http from 'node:http';
import {
  pieces,
  openAIStyleStep,
  scriptPlayer,
  sendJson,
  startDataSse,
  startMockServer,
  type MockServer,
  type RecordedRequest,
} from './mock-server';

export interface ChatToolCall {
  name: string;
  /** An object is sent JSON-encoded, as the API does. */
  arguments: unknown;
  id?: string;
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens?: number;
  reasoning_tokens?: number;
  /** OpenRouter's usage accounting adds the call's cost in USD. */
  cost?: number;
}

export interface ChatReply {
  content?: string;
  /** OpenRouter's `reasoning` delta field. */
  reasoning?: string;
  toolCalls?: ChatToolCall[];
  usage?: ChatUsage;
}

/** An HTTP error step answers with the API's error body; `times: n` repeats it (Infinity: all the rest). */
export interface ChatError {
  status: number;
  message: string;
  type?: string;
  code?: string | number;
  times?: number;
}

export type ChatStep = ChatReply | ChatError;

export interface ChatCompletionsMock extends MockServer {
  /** The `POST …/chat/completions` requests only, in order. */
  completionRequests(): RecordedRequest[];
}

/**
 * Streams each reply as SSE `data:` chunks (`chat.completion.chunk`: role, content deltas, reasoning deltas, tool-call
 * deltas with their arguments in pieces, the finish reason, a usage chunk when asked for, `[DONE]`), or answers one
 * `chat.completion` when `stream` is false. Once the script is used up, every request gets a 500 that says so.
 *
 *   const model = await startChatCompletionsMock([
 *     { content: 'I will look.', toolCalls: [{ name: 'bash', arguments: { command: 'ls' } }] },
 *     { content: 'Done.' },
 *   ]);
 */
export async function startChatCompletionsMock(script: readonly ChatStep[]): Promise<ChatCompletionsMock> {
  let replies = 0;
  let calls = 0;
  const takeStep = scriptPlayer(script);

  const server = await startMockServer((request, res) => {
    const step = openAIStyleStep<ChatReply>(request, res, '/chat/completions', takeStep);
    if (!step) return;
    replies++;
    const body = (request.body ?? {}) as {
      model?: string;
      stream?: boolean;
      stream_options?: { include_usage?: boolean };
      usage?: { include?: boolean };
    };
    // OpenAI sends the usage chunk when stream_options.include_usage asks; OpenRouter when usage.include does, with
    // the call's cost in it.
    const openRouterAccounting = body.usage?.include === true;
    const id = `chatcmpl-mock-${String(replies).padStart(2, '0')}`;
    const toolCalls = (step.toolCalls ?? []).map((c) => ({
      id: c.id ?? `call_mock_${String(++calls).padStart(2, '0')}`,
      type: 'function' as const,
      function: {
        name: c.name,
        arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
      },
    }));
    const usage = apiUsage(step.usage ?? defaultUsage(replies, step, openRouterAccounting));
    const finish = toolCalls.length ? 'tool_calls' : 'stop';
    const model = body.model ?? 'mock-model';
    if (body.stream === false || body.stream === undefined) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: step.content ?? null,
              ...(step.reasoning ? { reasoning: step.reasoning } : {}),
              ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
            },
            finish_reason: finish,
          },
        ],
        usage,
      });
      return;
    }
    streamChunks(
      res,
      id,
      model,
      step,
      toolCalls,
      finish,
      body.stream_options?.include_usage || openRouterAccounting ? usage : undefined,
    );
  });

  return {
    ...server,
    completionRequests: () =>
      server.requests.filter((r) => r.method === 'POST' && r.path.split('?')[0]!.endsWith('/chat/completions')),
  };
}

function streamChunks(
  res: http.ServerResponse,
  id: string,
  model: string,
  step: ChatReply,
  toolCalls: { id: string; type: 'function'; function: { name: string; arguments: string } }[],
  finish: string,
  usage: unknown,
): void {
  const send = startDataSse(res);
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: object, finish_reason: string | null = null, extra: object = {}) =>
    send({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason }],
      ...extra,
    });
  chunk({ role: 'assistant', content: '' });
  if (step.reasoning) for (const reasoning of pieces(step.reasoning)) chunk({ reasoning });
  if (step.content) for (const content of pieces(step.content)) chunk({ content });
  toolCalls.forEach((call, index) => {
    chunk({
      tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }],
    });
    for (const args of pieces(call.function.arguments))
      chunk({ tool_calls: [{ index, function: { arguments: args } }] });
  });
  chunk({}, finish);
  if (usage) send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
  send('[DONE]');
  res.end();
}

function apiUsage(u: ChatUsage): Record<string, unknown> {
  return {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    prompt_tokens_details: { cached_tokens: u.cached_tokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning_tokens ?? 0 },
    ...(u.cost !== undefined ? { cost: u.cost } : {}),
  };
}

function defaultUsage(reply: number, step: ChatReply, withCost: boolean): ChatUsage {
  const size = JSON.stringify(step).length;
  const prompt = 1500 + 200 * reply;
  const completion = 15 + Math.ceil(size / 10);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    cached_tokens: reply > 1 ? 1024 : 0,
    reasoning_tokens: step.reasoning ? 8 : 0,
    // $3 / $15 per million tokens, rounded as OpenRouter reports it.
    ...(withCost ? { cost: Math.round(((prompt * 3 + completion * 15) / 1e6) * 1e8) / 1e8 } : {}),
  };
}
