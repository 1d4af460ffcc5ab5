// The mock Bedrock Runtime that hermes (boto3) and opencode (the AI SDK) talk to in the tests: AWS's event-stream binary
// framing (prelude, string headers, both CRC32s), ConverseStream's events, InvokeModelWithResponseStream's base64
// chunks of Anthropic events, the JSON answers, Bedrock's error shape, the length check hermes probes with, and the
// authorization each request carried.
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { bedrockAuth, decodeEventStream, encodeEventStreamMessage, startBedrockMock } from '../../fakes/bedrock';

// What the mock sent, read back loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = Record<string, any>;

async function post(url: string, body: unknown, authorization = 'Bearer ABSK-test'): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(body),
  });
}

const messages = [{ role: 'user', content: [{ text: 'hi' }] }];

describe('mock Bedrock Runtime', () => {
  it('frames a message as AWS event-stream does, byte for byte', () => {
    const payload = Buffer.from('{"a":1}');
    const frame = encodeEventStreamMessage({ ':event-type': 'chunk' }, payload);
    // Header: name length 11, ":event-type", type 7 (string), value length 5, "chunk".
    const header = Buffer.concat([
      Buffer.from([11]),
      Buffer.from(':event-type'),
      Buffer.from([7, 0, 5]),
      Buffer.from('chunk'),
    ]);
    const total = 12 + header.length + payload.length + 4;
    assert.equal(frame.length, total);
    assert.equal(frame.readUInt32BE(0), total);
    assert.equal(frame.readUInt32BE(4), header.length);
    assert.equal(frame.readUInt32BE(8), crc32(frame.subarray(0, 8)));
    assert.deepEqual(frame.subarray(12, 12 + header.length), header);
    assert.deepEqual(frame.subarray(12 + header.length, total - 4), payload);
    assert.equal(frame.readUInt32BE(total - 4), crc32(frame.subarray(0, total - 4)));
    // A flipped bit in the payload, or in the prelude, fails a CRC.
    for (const at of [12 + header.length, 2]) {
      const broken = Buffer.from(frame);
      broken.writeUInt8(broken.readUInt8(at) ^ 1, at);
      assert.throws(() => decodeEventStream(broken), /CRC mismatch|cut/);
    }
  });

  it('streams Converse events in event-stream frames: text, reasoning, tool use with its input in pieces, usage', async () => {
    const mock = await startBedrockMock([
      {
        blocks: [
          { type: 'thinking', thinking: 'Look first.' },
          { type: 'text', text: 'Running it.' },
          { type: 'tool_use', name: 'terminal', input: { command: 'echo a command long enough for pieces' } },
        ],
        usage: { input_tokens: 30, output_tokens: 8, cache_read_input_tokens: 5 },
      },
    ]);
    try {
      const response = await post(`${mock.url}/model/zai.glm-5/converse-stream`, { messages });
      assert.equal(response.headers.get('content-type'), 'application/vnd.amazon.eventstream');
      const frames = decodeEventStream(Buffer.from(await response.arrayBuffer()));
      assert.ok(
        frames.every(
          (f) => f.headers[':message-type'] === 'event' && f.headers[':content-type'] === 'application/json',
        ),
      );
      const events = frames.map((f) => ({ type: f.headers[':event-type'], ...JSON.parse(f.payload.toString()) }));
      assert.deepEqual(events[0], { type: 'messageStart', role: 'assistant' });
      const deltas = (index: number) =>
        events.filter((e) => e.type === 'contentBlockDelta' && e.contentBlockIndex === index).map((e) => e.delta);
      assert.equal(
        deltas(0)
          .map((d) => d.reasoningContent?.text ?? '')
          .join(''),
        'Look first.',
      );
      assert.deepEqual(deltas(1), [{ text: 'Running it.' }]);
      assert.deepEqual(
        events.find((e) => e.type === 'contentBlockStart'),
        {
          type: 'contentBlockStart',
          contentBlockIndex: 2,
          start: { toolUse: { toolUseId: 'toolu_mock_01', name: 'terminal' } },
        },
      );
      assert.deepEqual(
        JSON.parse(
          deltas(2)
            .map((d) => d.toolUse.input)
            .join(''),
        ),
        {
          command: 'echo a command long enough for pieces',
        },
      );
      assert.deepEqual(events.slice(-2), [
        { type: 'messageStop', stopReason: 'tool_use' },
        {
          type: 'metadata',
          usage: { inputTokens: 30, outputTokens: 8, totalTokens: 43, cacheReadInputTokens: 5 },
          metrics: { latencyMs: 42 },
        },
      ]);
      assert.deepEqual(bedrockAuth(mock.modelRequests()[0]!), { scheme: 'bearer', token: 'ABSK-test' });
    } finally {
      await mock.close();
    }
  });

  it("answers Converse and InvokeModel with JSON, and the response stream with base64 chunks of Anthropic's events", async () => {
    const mock = await startBedrockMock([
      { blocks: [{ type: 'text', text: 'one' }] },
      { blocks: [{ type: 'text', text: 'two' }] },
      { blocks: [{ type: 'text', text: 'three' }] },
    ]);
    try {
      const converse = (await (await post(`${mock.url}/model/deepseek.v3.2/converse`, { messages })).json()) as Raw;
      assert.deepEqual(converse.output, { message: { role: 'assistant', content: [{ text: 'one' }] } });
      assert.equal(converse.stopReason, 'end_turn');
      const model = encodeURIComponent('us.anthropic.claude-haiku-4-5-20251001-v1:0');
      const invoke = (await (await post(`${mock.url}/model/${model}/invoke`, { messages })).json()) as Raw;
      assert.deepEqual(invoke.content, [{ type: 'text', text: 'two' }]);
      assert.equal(invoke.model, 'us.anthropic.claude-haiku-4-5-20251001-v1:0');
      const stream = await post(`${mock.url}/model/${model}/invoke-with-response-stream`, { messages });
      const chunks = decodeEventStream(Buffer.from(await stream.arrayBuffer()));
      assert.ok(chunks.every((c) => c.headers[':event-type'] === 'chunk'));
      const inner = chunks.map((c) =>
        JSON.parse(Buffer.from(JSON.parse(c.payload.toString()).bytes, 'base64').toString()),
      );
      assert.deepEqual(
        inner.map((e) => e.type),
        [
          'message_start',
          'content_block_start',
          'content_block_delta',
          'content_block_stop',
          'message_delta',
          'message_stop',
        ],
      );
      assert.equal(inner[2].delta.text, 'three');
    } finally {
      await mock.close();
    }
  });

  it('refuses a prompt longer than the window without using a step, and errors as Bedrock does', async () => {
    const mock = await startBedrockMock(
      [
        {
          status: 403,
          type: 'AccessDeniedException',
          message: 'Authentication failed: Please make sure your API Key is valid.',
        },
      ],
      { contextTokens: 1000 },
    );
    try {
      const long = await post(`${mock.url}/model/zai.glm-5/converse`, {
        messages: [{ role: 'user', content: [{ text: 'data '.repeat(2000) }] }],
      });
      assert.equal(long.status, 400);
      assert.match(long.headers.get('x-amzn-errortype')!, /^ValidationException:/);
      assert.match(
        ((await long.json()) as { message: string }).message,
        /prompt is too long: \d+ tokens > 1000 maximum$/,
      );
      const refused = await post(
        `${mock.url}/model/zai.glm-5/converse-stream`,
        { messages },
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=abc',
      );
      assert.equal(refused.status, 403);
      assert.match(refused.headers.get('x-amzn-errortype')!, /^AccessDeniedException:/);
      assert.deepEqual(await refused.json(), {
        message: 'Authentication failed: Please make sure your API Key is valid.',
      });
      assert.deepEqual(bedrockAuth(mock.modelRequests()[1]!), {
        scheme: 'sigv4',
        accessKeyId: 'AKIDEXAMPLE',
        region: 'us-east-1',
        service: 'bedrock',
      });
      assert.deepEqual(await (await fetch(`${mock.url}/foundation-models`)).json(), { modelSummaries: [] });
      assert.equal((await post(`${mock.url}/model/zai.glm-5/converse`, { messages })).status, 500);
    } finally {
      await mock.close();
    }
  });
});
