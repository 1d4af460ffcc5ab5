// The mock Chat Completions API that opencode and hermes talk to in the tests (OpenRouter, custom endpoints): streamed
// `chat.completion.chunk` frames with the role, content and reasoning deltas, tool calls with their arguments in pieces,
// the finish reason, a usage chunk only when asked for (OpenAI's stream_options, OpenRouter's usage accounting with the
// cost), `[DONE]`; a whole `chat.completion` without streaming; the API's error body.
import assert from 'node:assert/strict';
import { startChatCompletionsMock } from '../../fakes/chat-completions';
import { sseFrames } from './sse';

// What the mock sent, read back loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = Record<string, any>;

type Chunk = {
  object: string;
  model: string;
  choices: { delta: Record<string, unknown>; finish_reason: string | null }[];
  usage?: Record<string, unknown>;
};

const post = (url: string, body: unknown) =>
  fetch(`${url}/api/v1/chat/completions`, { method: 'POST', body: JSON.stringify(body) });

describe('mock Chat Completions API', () => {
  it('streams reasoning, content and a tool call in pieces, then the finish reason, usage and [DONE]', async () => {
    const mock = await startChatCompletionsMock([
      {
        reasoning: 'Think first.',
        content: 'Running it now, in a few pieces.',
        toolCalls: [{ name: 'bash', arguments: { command: 'echo hello from a long command line' } }],
        usage: { prompt_tokens: 50, completion_tokens: 9, cached_tokens: 10 },
      },
    ]);
    try {
      const response = await post(mock.url, {
        model: 'anthropic/claude-sonnet-4.6',
        stream: true,
        stream_options: { include_usage: true },
      });
      const frames = sseFrames(await response.text());
      assert.equal(frames.at(-1)!.data, '[DONE]');
      const chunks = frames.slice(0, -1).map((f) => f.data as Chunk);
      assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'anthropic/claude-sonnet-4.6'));
      const deltas = chunks.filter((c) => c.choices.length).map((c) => c.choices[0]!.delta);
      assert.deepEqual(deltas[0], { role: 'assistant', content: '' });
      const joined = (key: string) => deltas.map((d) => (typeof d[key] === 'string' ? d[key] : '')).join('');
      assert.equal(joined('reasoning'), 'Think first.');
      assert.equal(joined('content'), 'Running it now, in a few pieces.');
      const calls = deltas.flatMap((d) => (d.tool_calls as Raw[] | undefined) ?? []);
      assert.deepEqual(calls[0], {
        index: 0,
        id: 'call_mock_01',
        type: 'function',
        function: { name: 'bash', arguments: '' },
      });
      assert.ok(calls.length > 2, 'the arguments come in several pieces');
      assert.deepEqual(JSON.parse(calls.map((c) => c.function.arguments).join('')), {
        command: 'echo hello from a long command line',
      });
      const finish = chunks.filter((c) => c.choices[0]?.finish_reason).map((c) => c.choices[0]!.finish_reason);
      assert.deepEqual(finish, ['tool_calls']);
      assert.deepEqual(chunks.at(-1)!, {
        ...chunks.at(-1)!,
        choices: [],
        usage: {
          prompt_tokens: 50,
          completion_tokens: 9,
          total_tokens: 59,
          prompt_tokens_details: { cached_tokens: 10 },
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      });
    } finally {
      await mock.close();
    }
  });

  it("sends usage only when asked (OpenRouter's accounting adds the cost), and a whole completion without streaming", async () => {
    const mock = await startChatCompletionsMock([{ content: 'a' }, { content: 'b' }, { content: 'c' }]);
    try {
      const plain = sseFrames(await (await post(mock.url, { stream: true })).text());
      assert.ok(plain.every((f) => typeof f.data === 'string' || !(f.data as Chunk).usage));
      const routed = sseFrames(await (await post(mock.url, { stream: true, usage: { include: true } })).text());
      const usage = (routed.at(-2)!.data as Chunk).usage!;
      assert.equal(typeof usage.cost, 'number');
      const whole = (await (await post(mock.url, { stream: false, model: 'm' })).json()) as Raw;
      assert.equal(whole.object, 'chat.completion');
      assert.deepEqual(whole.choices[0], {
        index: 0,
        message: { role: 'assistant', content: 'c' },
        finish_reason: 'stop',
      });
      assert.equal(mock.completionRequests().length, 3);
    } finally {
      await mock.close();
    }
  });

  it('answers errors with the API body, lists no models, and says when the script is used up', async () => {
    const mock = await startChatCompletionsMock([{ status: 401, message: 'No auth credentials found', code: 401 }]);
    try {
      const refused = await post(mock.url, { stream: true });
      assert.equal(refused.status, 401);
      assert.deepEqual(await refused.json(), {
        error: { message: 'No auth credentials found', type: 'invalid_request_error', param: null, code: 401 },
      });
      assert.deepEqual(await (await fetch(`${mock.url}/api/v1/models`)).json(), { object: 'list', data: [] });
      assert.equal((await post(mock.url, { stream: true })).status, 500);
    } finally {
      await mock.close();
    }
  });
});
