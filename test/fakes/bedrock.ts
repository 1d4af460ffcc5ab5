// A local Amazon Bedrock Runtime for the real hermes (boto3 Converse for non-Anthropic models, the anthropic SDK's
// Bedrock client for Claude) and opencode (the AI SDK's Converse client), so their Bedrock routes run offline: it
// replays a scripted conversation, one step per model call, on every path they use, and records every request.
import type http from 'node:http';
import { crc32 } from 'node:zlib';
import {
  createAnthropicReplies,
  finalMessage,
  messageEvents,
  type AnthropicMessage,
  type AnthropicReply,
} from './anthropic';
import { pieces, scriptPlayer, sendJson, startMockServer, type MockServer, type RecordedRequest } from './mock-server';

/**
 * An error step answers as Bedrock does: the status, `x-amzn-ErrorType`, and a JSON body with the message (`times`:
 * repeated; Infinity: all the rest).
 */
export interface BedrockError {
  status: number;
  message: string;
  /** The error's name, sent as `x-amzn-ErrorType` (e.g. UnrecognizedClientException, AccessDeniedException). */
  type?: string;
  times?: number;
}

/**
 * A step's blocks use the Anthropic vocabulary (text, thinking, tool_use) for both APIs; Converse gets them as text,
 * reasoningContent and toolUse.
 */
export type BedrockStep = AnthropicReply | BedrockError;

export interface BedrockMock extends MockServer {
  /** The model calls only (converse, converse-stream, invoke, invoke-with-response-stream), in order. */
  modelRequests(): RecordedRequest[];
}

/**
 * The model calls, each answered in its API's shape:
 *   POST /model/<id>/converse                    → one JSON ConverseResponse
 *   POST /model/<id>/converse-stream             → AWS event-stream frames: messageStart, contentBlockStart/Delta/Stop,
 *                                                  messageStop, metadata (usage)
 *   POST /model/<id>/invoke                      → one Anthropic Messages JSON (Claude models)
 *   POST /model/<id>/invoke-with-response-stream → event-stream `chunk` frames, each `{"bytes": base64(event)}` of the
 *                                                  Anthropic streaming events
 * GET /foundation-models and GET /inference-profiles (the control plane, when pointed here too) get empty lists.
 */
const MODEL_PATH = /^\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)$/;

export interface BedrockOptions {
  /**
   * The model's context window in tokens (default 200,000). A prompt longer than that (about 4 characters a token) is
   * refused with Bedrock's ValidationException ("prompt is too long: N tokens > M maximum") without using a step:
   * hermes provokes exactly that to learn a model's window before its first turn, as Bedrock answers it before any
   * inference.
   */
  contextTokens?: number;
}

/**
 *   const model = await startBedrockMock([
 *     {
 *       blocks: [
 *         { type: 'text', text: 'I will look.' },
 *         { type: 'tool_use', name: 'terminal', input: { command: 'ls' } },
 *       ],
 *     },
 *     { blocks: [{ type: 'text', text: 'Done.' }] },
 *   ]);
 *   model.requests[0].headers.authorization  // `Bearer <token>` or `AWS4-HMAC-SHA256 Credential=<key id>/…`
 */
export async function startBedrockMock(
  script: readonly BedrockStep[],
  options: BedrockOptions = {},
): Promise<BedrockMock> {
  const window = options.contextTokens ?? 200_000;
  const takeStep = scriptPlayer(script);
  const reply = createAnthropicReplies();
  let requestCount = 0;

  const server = await startMockServer((request, res) => {
    const url = new URL(request.path, 'http://mock');
    const match = MODEL_PATH.exec(url.pathname);
    const requestId = `mock-request-${String(++requestCount).padStart(4, '0')}`;
    // The control plane (AWS_ENDPOINT_URL_BEDROCK): hermes lists models for ACP's model picker, claude-code looks up
    // inference profiles. Nothing to list here.
    if (request.method === 'GET' && url.pathname === '/foundation-models') {
      sendJson(res, 200, { modelSummaries: [] }, { 'x-amzn-requestid': requestId });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/inference-profiles') {
      sendJson(res, 200, { inferenceProfileSummaries: [] }, { 'x-amzn-requestid': requestId });
      return;
    }
    if (request.method !== 'POST' || !match) {
      bedrockError(
        res,
        404,
        'UnknownOperationException',
        `mock: no route ${request.method} ${url.pathname}`,
        requestId,
      );
      return;
    }
    const model = decodeURIComponent(match[1]!);
    const operation = match[2]!;
    const promptTokens = Math.ceil(JSON.stringify((request.body as { messages?: unknown })?.messages ?? '').length / 4);
    if (promptTokens > window) {
      const message = `The model returned the following errors: prompt is too long: ${promptTokens} tokens > ${window} maximum`;
      bedrockError(res, 400, 'ValidationException', message, requestId);
      return;
    }
    const step = takeStep();
    if (!step) {
      bedrockError(res, 500, 'InternalServerException', 'mock: the scripted conversation has no more steps', requestId);
      return;
    }
    if ('status' in step) {
      bedrockError(res, step.status, step.type ?? errorType(step.status), step.message, requestId);
      return;
    }
    const message = reply(step, model);
    if (operation === 'converse') sendJson(res, 200, converseResponse(message), { 'x-amzn-requestid': requestId });
    else if (operation === 'converse-stream') sendFrames(res, converseEvents(message), requestId);
    else if (operation === 'invoke') sendJson(res, 200, finalMessage(message), { 'x-amzn-requestid': requestId });
    else sendFrames(res, invokeChunks(message), requestId);
  });

  return {
    ...server,
    modelRequests: () => server.requests.filter((r) => MODEL_PATH.test(r.path.split('?')[0]!)),
  };
}

function errorType(status: number): string {
  if (status === 403) return 'AccessDeniedException';
  if (status === 429) return 'ThrottlingException';
  if (status === 400) return 'ValidationException';
  if (status === 404) return 'ResourceNotFoundException';
  return status >= 500 ? 'InternalServerException' : 'UnrecognizedClientException';
}

function bedrockError(
  res: http.ServerResponse,
  status: number,
  type: string,
  message: string,
  requestId: string,
): void {
  sendJson(
    res,
    status,
    { message },
    {
      'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.coral.service/`,
      'x-amzn-requestid': requestId,
    },
  );
}

interface StreamEvent {
  type: string;
  payload: unknown;
}

/** Converse's content blocks for a reply. */
function converseContent(blocks: AnthropicMessage['blocks']): unknown[] {
  return blocks.map((b) =>
    b.type === 'text'
      ? { text: b.text }
      : b.type === 'thinking'
        ? { reasoningContent: { reasoningText: { text: b.thinking, signature: 'mock-signature' } } }
        : { toolUse: { toolUseId: b.id, name: b.name, input: b.input } },
  );
}

function converseUsage({ usage }: AnthropicMessage): Record<string, number> {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    totalTokens: usage.input_tokens + usage.output_tokens + cacheRead + cacheWrite,
    ...(cacheRead ? { cacheReadInputTokens: cacheRead } : {}),
    ...(cacheWrite ? { cacheWriteInputTokens: cacheWrite } : {}),
  };
}

function converseResponse(message: AnthropicMessage): Record<string, unknown> {
  return {
    output: { message: { role: 'assistant', content: converseContent(message.blocks) } },
    stopReason: message.stopReason,
    usage: converseUsage(message),
    metrics: { latencyMs: 42 },
  };
}

/** ConverseStream's events for a reply, as the service sends them. */
function converseEvents(message: AnthropicMessage): StreamEvent[] {
  const events: StreamEvent[] = [{ type: 'messageStart', payload: { role: 'assistant' } }];
  message.blocks.forEach((block, contentBlockIndex) => {
    if (block.type === 'tool_use') {
      events.push({
        type: 'contentBlockStart',
        payload: { contentBlockIndex, start: { toolUse: { toolUseId: block.id, name: block.name } } },
      });
      for (const input of pieces(JSON.stringify(block.input)))
        events.push({ type: 'contentBlockDelta', payload: { contentBlockIndex, delta: { toolUse: { input } } } });
    } else if (block.type === 'thinking') {
      for (const text of pieces(block.thinking))
        events.push({
          type: 'contentBlockDelta',
          payload: { contentBlockIndex, delta: { reasoningContent: { text } } },
        });
      events.push({
        type: 'contentBlockDelta',
        payload: { contentBlockIndex, delta: { reasoningContent: { signature: 'mock-signature' } } },
      });
    } else {
      for (const text of pieces(block.text))
        events.push({ type: 'contentBlockDelta', payload: { contentBlockIndex, delta: { text } } });
    }
    events.push({ type: 'contentBlockStop', payload: { contentBlockIndex } });
  });
  events.push({ type: 'messageStop', payload: { stopReason: message.stopReason } });
  events.push({ type: 'metadata', payload: { usage: converseUsage(message), metrics: { latencyMs: 42 } } });
  return events;
}

/** InvokeModelWithResponseStream for a Claude model: each Anthropic streaming event in a `chunk`. */
function invokeChunks(message: AnthropicMessage): StreamEvent[] {
  return messageEvents(message)
    .filter((e) => e.event !== 'ping')
    .map(({ data }) => ({ type: 'chunk', payload: { bytes: Buffer.from(JSON.stringify(data)).toString('base64') } }));
}

function sendFrames(res: http.ServerResponse, events: StreamEvent[], requestId: string): void {
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': requestId });
  for (const { type, payload } of events) {
    res.write(
      encodeEventStreamMessage(
        { ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' },
        Buffer.from(JSON.stringify(payload)),
      ),
    );
  }
  res.end();
}

/**
 * One message of AWS's event-stream encoding: a 12-byte prelude (total length, headers length, both big-endian
 * uint32, then the CRC32 of those 8 bytes), the headers (each: name length uint8, name, value type 7 = string,
 * value length uint16, value), the payload, and the CRC32 of everything before it.
 */
export function encodeEventStreamMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const headerBytes = Buffer.concat(
    Object.entries(headers).map(([name, value]) => {
      const n = Buffer.from(name);
      const v = Buffer.from(value);
      const out = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
      out.writeUInt8(n.length, 0);
      n.copy(out, 1);
      out.writeUInt8(7, 1 + n.length);
      out.writeUInt16BE(v.length, 2 + n.length);
      v.copy(out, 4 + n.length);
      return out;
    }),
  );
  const total = 12 + headerBytes.length + payload.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, 12);
  payload.copy(message, 12 + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** Decodes a buffer of whole event-stream messages, checking both CRCs (for the mock's own tests). */
export function decodeEventStream(data: Buffer): { headers: Record<string, string>; payload: Buffer }[] {
  const out: { headers: Record<string, string>; payload: Buffer }[] = [];
  for (let offset = 0; offset < data.length;) {
    const total = data.readUInt32BE(offset);
    const headersLength = data.readUInt32BE(offset + 4);
    const message = data.subarray(offset, offset + total);
    if (message.length !== total) throw new Error(`event-stream message cut: ${message.length} of ${total} bytes`);
    if (crc32(message.subarray(0, 8)) !== message.readUInt32BE(8)) throw new Error('event-stream prelude CRC mismatch');
    if (crc32(message.subarray(0, total - 4)) !== message.readUInt32BE(total - 4))
      throw new Error('event-stream message CRC mismatch');
    const headers: Record<string, string> = {};
    for (let h = 12; h < 12 + headersLength;) {
      const nameLength = message.readUInt8(h);
      const name = message.subarray(h + 1, h + 1 + nameLength).toString();
      const type = message.readUInt8(h + 1 + nameLength);
      if (type !== 7) throw new Error(`event-stream header ${name} has type ${type}, not string`);
      const valueLength = message.readUInt16BE(h + 2 + nameLength);
      headers[name] = message.subarray(h + 4 + nameLength, h + 4 + nameLength + valueLength).toString();
      h += 4 + nameLength + valueLength;
    }
    out.push({ headers, payload: message.subarray(12 + headersLength, total - 4) });
    offset += total;
  }
  return out;
}

/** How a request authenticated: a Bedrock API key (Bearer) or a SigV4 signature, with what the signature names. */
export function bedrockAuth(
  request: RecordedRequest,
):
  | { scheme: 'bearer'; token: string }
  | { scheme: 'sigv4'; accessKeyId: string; region: string; service: string }
  | { scheme: 'none' } {
  const header = request.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) return { scheme: 'bearer', token: header.slice('Bearer '.length) };
  const sig = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(header);
  if (sig) return { scheme: 'sigv4', accessKeyId: sig[1]!, region: sig[2]!, service: sig[3]! };
  return { scheme: 'none' };
}
