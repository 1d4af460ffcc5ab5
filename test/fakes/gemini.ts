// A local Gemini API for the real gemini-cli (and for opencode's and hermes' Google routes), so they run offline
// against a scripted conversation: one step per generate request, and every request recorded.
import type http from 'node:http';
import {
  pieces,
  scriptPlayer,
  sendJson,
  startDataSse,
  startMockServer,
  type MockServer,
  type RecordedRequest,
} from './mock-server';

export type GeminiPart =
  { text: string; thought?: boolean } | { functionCall: { name: string; args: Record<string, unknown>; id?: string } };

export interface GeminiUsage {
  promptTokenCount: number;
  candidatesTokenCount: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
}

export interface GeminiReply {
  parts: GeminiPart[];
  /** Default `STOP` (the API says STOP for function calls too). */
  finishReason?: string;
  usage?: GeminiUsage;
}

/**
 * An HTTP error step answers with Google's error body (`{error: {code, message, status}}`); `times: n` repeats it
 * (Infinity: all the rest).
 */
export interface GeminiError {
  status: number;
  message: string;
  /** Google's status word; default from the HTTP status (401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 429 …). */
  statusWord?: string;
  times?: number;
}

export type GeminiStep = GeminiReply | GeminiError;

export interface GeminiMock extends MockServer {
  /** The generate requests only (streaming or not), in order. */
  generateRequests(): RecordedRequest[];
}

const STATUS_WORDS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/**
 * `…/models/<model>:<method>`, on any of the API's path prefixes: the Gemini API's (`/v1beta/models/M:…`, key in
 * `x-goog-api-key` or `?key=`) and Vertex's (`/v1beta1/publishers/google/models/M:…`,
 * `/v1beta1/projects/P/locations/L/publishers/google/models/M:…`).
 */
const MODEL_METHOD = /\/models\/([^/:]+):([A-Za-z]+)$/;

/**
 * Answers `:streamGenerateContent` with `alt=sse` as SSE of bare `data:` frames, each a GenerateContentResponse, and
 * without it as a JSON array of them; `:generateContent` answers one. Once the script is used up, every request gets a
 * 500 that says so.
 *
 *   const model = await startGeminiMock([
 *     { parts: [{ text: 'I will look.' }, { functionCall: { name: 'run_shell_command', args: { command: 'ls' } } }] },
 *     { parts: [{ text: 'Done.' }] },
 *   ]);
 */
export async function startGeminiMock(script: readonly GeminiStep[]): Promise<GeminiMock> {
  let replies = 0;
  const takeStep = scriptPlayer(script);

  const server = await startMockServer((request, res) => {
    const url = new URL(request.path, 'http://mock');
    const match = MODEL_METHOD.exec(url.pathname);
    if (request.method === 'GET' && url.pathname.endsWith('/models')) {
      sendJson(res, 200, { models: [] });
      return;
    }
    if (request.method !== 'POST' || !match) {
      sendJson(res, 404, googleError(404, `mock: no route ${request.method} ${url.pathname}`));
      return;
    }
    const [, model, method] = match;
    if (method === 'countTokens') {
      sendJson(res, 200, { totalTokens: Math.ceil(JSON.stringify(request.body ?? '').length / 4) });
      return;
    }
    if (method !== 'streamGenerateContent' && method !== 'generateContent') {
      sendJson(res, 404, googleError(404, `mock: no method ${method}`));
      return;
    }
    const step = takeStep();
    if (!step) {
      sendJson(res, 500, googleError(500, 'mock: the scripted conversation has no more steps'));
      return;
    }
    if ('status' in step) {
      sendJson(res, step.status, googleError(step.status, step.message, step.statusWord));
      return;
    }
    replies++;
    const chunks = responseChunks(step, model!, replies);
    if (method === 'generateContent') sendJson(res, 200, merge(chunks));
    else if (url.searchParams.get('alt') === 'sse') streamSse(res, chunks);
    else sendJson(res, 200, chunks);
  });

  return {
    ...server,
    generateRequests: () =>
      server.requests.filter((r) => r.method === 'POST' && /:(stream)?[gG]enerateContent/.test(r.path)),
  };
}

function googleError(code: number, message: string, status?: string): unknown {
  return { error: { code, message, status: status ?? STATUS_WORDS[code] ?? 'UNKNOWN' } };
}

type Chunk = Record<string, unknown>;

/** One GenerateContentResponse per piece of text (and one per function call); the last carries finishReason and
 * usage, as the API sends them. */
function responseChunks(step: GeminiReply, model: string, reply: number): Chunk[] {
  const parts: unknown[][] = [];
  for (const part of step.parts) {
    if ('text' in part) for (const text of pieces(part.text, 40)) parts.push([{ ...part, text }]);
    else parts.push([part]);
  }
  const usage = step.usage ?? defaultUsage(reply, step);
  const responseId = `mock-response-${String(reply).padStart(2, '0')}`;
  return parts.map((p, i) => {
    const last = i === parts.length - 1;
    return {
      candidates: [
        {
          content: { role: 'model', parts: p },
          index: 0,
          ...(last ? { finishReason: step.finishReason ?? 'STOP' } : {}),
        },
      ],
      usageMetadata: last
        ? {
            promptTokenCount: usage.promptTokenCount,
            candidatesTokenCount: usage.candidatesTokenCount,
            totalTokenCount: usage.promptTokenCount + usage.candidatesTokenCount + (usage.thoughtsTokenCount ?? 0),
            ...(usage.cachedContentTokenCount ? { cachedContentTokenCount: usage.cachedContentTokenCount } : {}),
            ...(usage.thoughtsTokenCount ? { thoughtsTokenCount: usage.thoughtsTokenCount } : {}),
          }
        : { promptTokenCount: usage.promptTokenCount, totalTokenCount: usage.promptTokenCount },
      modelVersion: model,
      responseId,
    };
  });
}

/** The non-streaming answer: every chunk's parts in one candidate, the last chunk's usage and finish reason. */
function merge(chunks: Chunk[]): Chunk {
  const last = chunks[chunks.length - 1]!;
  const parts = chunks.flatMap((c) => (c.candidates as { content: { parts: unknown[] } }[])[0]!.content.parts);
  const candidate = (last.candidates as Chunk[])[0]!;
  return { ...last, candidates: [{ ...candidate, content: { role: 'model', parts } }] };
}

function streamSse(res: http.ServerResponse, chunks: Chunk[]): void {
  const send = startDataSse(res);
  for (const chunk of chunks) send(chunk);
  res.end();
}

function defaultUsage(reply: number, step: GeminiReply): GeminiUsage {
  const size = JSON.stringify(step.parts).length;
  return {
    promptTokenCount: 3000 + 250 * reply,
    candidatesTokenCount: 12 + Math.ceil(size / 8),
    ...(reply > 1 ? { cachedContentTokenCount: 2048 } : {}),
  };
}
