// The mock Gemini API that gemini-cli (and hermes' and opencode's Google routes) talk to in the tests: the paths of the
// Gemini API and of Vertex AI, streaming as bare `data:` SSE frames with `alt=sse` (a JSON array without it), one
// GenerateContentResponse per piece with usage and the finish reason on the last, Google's error body, and the script.
import assert from 'node:assert/strict';
import { startGeminiMock } from '../../fakes/gemini';
import { sseFrames } from './sse';

type Chunk = {
  candidates: { content: { role: string; parts: Record<string, unknown>[] }; finishReason?: string }[];
  usageMetadata: Record<string, number>;
  modelVersion: string;
};

const post = (url: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('mock Gemini API', () => {
  it('streams text pieces and a function call as SSE data frames, usage and finish reason on the last', async () => {
    const mock = await startGeminiMock([
      {
        parts: [
          { text: 'A text long enough to come in two pieces of forty characters.' },
          { functionCall: { name: 'run_shell_command', args: { command: 'ls' } } },
        ],
        usage: { promptTokenCount: 100, candidatesTokenCount: 7, cachedContentTokenCount: 40 },
      },
    ]);
    try {
      const response = await post(
        `${mock.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
        { contents: [] },
        { 'x-goog-api-key': 'AIza-test' },
      );
      assert.equal(response.headers.get('content-type'), 'text/event-stream');
      const frames = sseFrames(await response.text());
      assert.ok(
        frames.every((f) => f.event === undefined),
        'bare data: frames, no event names',
      );
      const chunks = frames.map((f) => f.data as Chunk);
      assert.deepEqual(
        chunks.map((c) => c.candidates[0]!.content.parts[0]),
        [
          { text: 'A text long enough to come in two pieces' },
          { text: ' of forty characters.' },
          { functionCall: { name: 'run_shell_command', args: { command: 'ls' } } },
        ],
      );
      assert.deepEqual(
        chunks.map((c) => c.candidates[0]!.finishReason),
        [undefined, undefined, 'STOP'],
      );
      assert.deepEqual(chunks.at(-1)!.usageMetadata, {
        promptTokenCount: 100,
        candidatesTokenCount: 7,
        totalTokenCount: 107,
        cachedContentTokenCount: 40,
      });
      assert.equal(chunks[0]!.modelVersion, 'gemini-2.5-flash');
      assert.equal(mock.generateRequests()[0]!.headers['x-goog-api-key'], 'AIza-test');
    } finally {
      await mock.close();
    }
  });

  it('serves the Vertex AI paths, a JSON array without alt=sse, and one response for generateContent', async () => {
    const mock = await startGeminiMock([
      { parts: [{ text: 'one' }] },
      { parts: [{ text: 'two' }] },
      { parts: [{ text: 'three' }] },
    ]);
    try {
      const express = await post(
        `${mock.url}/v1beta1/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse`,
      );
      assert.equal((sseFrames(await express.text())[0]!.data as Chunk).candidates[0]!.content.parts[0]!.text, 'one');
      const project = await post(
        `${mock.url}/v1beta1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:streamGenerateContent`,
      );
      const array = (await project.json()) as Chunk[];
      assert.ok(Array.isArray(array));
      assert.equal(array[0]!.candidates[0]!.content.parts[0]!.text, 'two');
      const single = (await (await post(`${mock.url}/v1beta/models/gemini-2.5-pro:generateContent`)).json()) as Chunk;
      assert.deepEqual(single.candidates[0]!.content, { role: 'model', parts: [{ text: 'three' }] });
      assert.equal(mock.generateRequests().length, 3);
    } finally {
      await mock.close();
    }
  });

  it("answers errors with Google's body, `times` in a row, then says the script is used up", async () => {
    const mock = await startGeminiMock([{ status: 401, message: 'API key not valid.', times: 2 }]);
    try {
      for (let i = 0; i < 2; i++) {
        const response = await post(`${mock.url}/v1beta/models/m:streamGenerateContent?alt=sse`);
        assert.equal(response.status, 401);
        assert.deepEqual(await response.json(), {
          error: { code: 401, message: 'API key not valid.', status: 'UNAUTHENTICATED' },
        });
      }
      const after = await post(`${mock.url}/v1beta/models/m:streamGenerateContent?alt=sse`);
      assert.equal(after.status, 500);
      assert.match(JSON.stringify(await after.json()), /no more steps/);
      assert.equal((await post(`${mock.url}/v1beta/models/m:countTokens`, { contents: ['abcd'] })).status, 200);
      assert.equal((await post(`${mock.url}/v1/unknown`)).status, 404);
    } finally {
      await mock.close();
    }
  });
});
