// The mock model servers the fixtures and the end-to-end tests rely on: they speak the APIs' streaming formats, replay
// their script in order, answer errors as the APIs do, record requests, and close cleanly.
import assert from 'node:assert/strict';
import { startAnthropicMock } from '../../fakes/anthropic';
import { codexConfigToml, startOpenAIMock } from '../../fakes/openai';
import { sseFrames } from './sse';

/** The `event:` names and parsed `data:` of an SSE body. */
function sse(body: string): { event: string; data: Record<string, unknown> }[] {
  return sseFrames(body).map((f) => ({ event: f.event!, data: f.data as Record<string, unknown> }));
}

describe('mock Anthropic Messages API', () => {
  it('streams text, thinking and tool_use blocks as SSE, answers HEAD /, records requests', async () => {
    const mock = await startAnthropicMock([
      {
        blocks: [
          { type: 'thinking', thinking: 'hmm' },
          { type: 'text', text: 'Hi there, this is long enough to be cut in pieces.' },
          { type: 'tool_use', name: 'Bash', input: { command: 'ls' } },
        ],
      },
    ]);
    try {
      assert.equal((await fetch(mock.url, { method: 'HEAD' })).status, 200);
      const response = await fetch(`${mock.url}/v1/messages?beta=true`, {
        method: 'POST',
        body: JSON.stringify({ model: 'claude-sonnet-4-6', stream: true }),
      });
      assert.equal(response.headers.get('content-type'), 'text/event-stream');
      const events = sse(await response.text());
      assert.deepEqual(
        [...new Set(events.map((e) => e.event))],
        [
          'message_start',
          'ping',
          'content_block_start',
          'content_block_delta',
          'content_block_stop',
          'message_delta',
          'message_stop',
        ],
      );
      const text = events
        .filter((e) => (e.data.delta as { type?: string })?.type === 'text_delta')
        .map((e) => (e.data.delta as { text: string }).text)
        .join('');
      assert.equal(text, 'Hi there, this is long enough to be cut in pieces.');
      const json = events
        .filter((e) => (e.data.delta as { type?: string })?.type === 'input_json_delta')
        .map((e) => (e.data.delta as { partial_json: string }).partial_json)
        .join('');
      assert.deepEqual(JSON.parse(json), { command: 'ls' });
      const starts = events
        .filter((e) => e.event === 'content_block_start')
        .map((e) => e.data.content_block as { type: string; id?: string });
      assert.deepEqual(
        starts.map((b) => b.type),
        ['thinking', 'text', 'tool_use'],
      );
      assert.equal(starts[2]!.id, 'toolu_mock_01');
      assert.deepEqual(events.find((e) => e.event === 'message_delta')!.data.delta, {
        stop_reason: 'tool_use',
        stop_sequence: null,
      });
      assert.deepEqual(
        mock.requests.map((r) => `${r.method} ${r.path}`),
        ['HEAD /', 'POST /v1/messages?beta=true'],
      );
      assert.deepEqual(mock.messageRequests()[0]!.body, { model: 'claude-sonnet-4-6', stream: true });
    } finally {
      await mock.close();
    }
  });

  it('answers a 401 with the API error body and x-should-retry: false, repeated `times`, then says the script is used up', async () => {
    const mock = await startAnthropicMock([
      { status: 401, type: 'authentication_error', message: 'invalid x-api-key', times: 2 },
    ]);
    try {
      for (let i = 0; i < 2; i++) {
        const response = await fetch(`${mock.url}/v1/messages`, { method: 'POST', body: '{}' });
        assert.equal(response.status, 401);
        assert.equal(response.headers.get('x-should-retry'), 'false');
        assert.deepEqual(await response.json(), {
          type: 'error',
          error: { type: 'authentication_error', message: 'invalid x-api-key' },
        });
      }
      const after = await fetch(`${mock.url}/v1/messages`, { method: 'POST', body: '{}' });
      assert.equal(after.status, 500);
      assert.match(JSON.stringify(await after.json()), /no more steps/);
    } finally {
      await mock.close();
    }
  });
});

describe('mock OpenAI Responses API', () => {
  it('streams items and usage as Responses SSE', async () => {
    const mock = await startOpenAIMock([
      {
        items: [
          { type: 'reasoning', summary: 'think' },
          { type: 'function_call', name: 'exec_command', arguments: { cmd: 'ls' } },
          { type: 'message', text: 'done' },
        ],
        usage: { input_tokens: 10, output_tokens: 3 },
      },
    ]);
    try {
      const response = await fetch(`${mock.url}/v1/responses`, {
        method: 'POST',
        body: JSON.stringify({ model: 'gpt-5.4', stream: true }),
      });
      const events = sse(await response.text());
      assert.equal(events[0]!.event, 'response.created');
      assert.equal(events.at(-1)!.event, 'response.completed');
      const done = events
        .filter((e) => e.event === 'response.output_item.done')
        .map((e) => e.data.item as Record<string, unknown>);
      assert.deepEqual(
        done.map((i) => i.type),
        ['reasoning', 'function_call', 'message'],
      );
      assert.deepEqual(
        { name: done[1]!.name, arguments: done[1]!.arguments, call_id: done[1]!.call_id },
        { name: 'exec_command', arguments: '{"cmd":"ls"}', call_id: 'call_mock_01' },
      );
      const usage = (events.at(-1)!.data.response as { usage: Record<string, unknown> }).usage;
      assert.deepEqual(usage, {
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 3,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 13,
      });
      assert.deepEqual(
        mock.responseRequests().map((r) => r.body),
        [{ model: 'gpt-5.4', stream: true }],
      );
    } finally {
      await mock.close();
    }
  });

  it('answers errors with the API body, and writes a config.toml provider that points codex at it', async () => {
    const mock = await startOpenAIMock([
      { status: 401, message: 'Incorrect API key provided', code: 'invalid_api_key' },
    ]);
    try {
      const response = await fetch(`${mock.url}/v1/responses`, { method: 'POST', body: '{}' });
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), {
        error: {
          message: 'Incorrect API key provided',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
      const toml = codexConfigToml(mock.url);
      assert.match(toml, /^model_provider = "mock"$/m);
      assert.ok(toml.includes(`base_url = "${mock.url}/v1"`));
      assert.match(toml, /^wire_api = "responses"$/m);
    } finally {
      await mock.close();
    }
  });
});
