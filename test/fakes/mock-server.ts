// What the mock model servers share: an HTTP server on 127.0.0.1 (port 0), a log of every request it received
// (method, path, headers, parsed JSON body), Server-Sent Events writing, and a close that ends open connections so
// a test never waits for a CLI's keep-alive socket.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path with query, e.g. `/v1/messages?beta=true`. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The JSON body, or the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
}

export interface MockServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (request: RecordedRequest, response: http.ServerResponse) => void | Promise<void>;

export async function startMockServer(handle: Handler): Promise<MockServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
      };
      requests.push(recorded);
      Promise.resolve(handle(recorded, res)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { message: `mock server: ${error instanceof Error ? error.message : String(error)}` },
          }),
        );
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Starts an SSE response; returns a writer for `event:` + `data:` frames. */
export function startSse(
  res: http.ServerResponse,
  headers: Record<string, string> = {},
): (event: string, data: unknown) => void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
  return (event, data) => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
}

/** Starts an SSE response of bare `data:` frames (no `event:` names), as the Gemini and Chat Completions APIs send. */
export function startDataSse(res: http.ServerResponse, headers: Record<string, string> = {}): (data: unknown) => void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
  return (data) => {
    res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  };
}

/** Splits text into a few pieces so the CLI sees a real stream of deltas, not one blob. */
export function pieces(text: string, size = 24): string[] {
  if (text.length === 0) return [''];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** A scripted step that answers with an HTTP error, `times` requests in a row (default 1; Infinity: all the rest). */
export interface ErrorStep {
  status: number;
  times?: number;
}

/** Hands out a script's steps in order, one per request; an error step is repeated `times` times. */
export function scriptPlayer<Step extends object>(script: readonly Step[]): () => Step | undefined {
  let next = 0;
  let usedOfStep = 0;
  return () => {
    const step = script[next];
    if (!step) return undefined;
    const times = 'status' in step ? ((step as ErrorStep).times ?? 1) : 1;
    if (++usedOfStep >= times) {
      next++;
      usedOfStep = 0;
    }
    return step;
  };
}

/** An error step of an OpenAI-shaped API (Responses, Chat Completions), answered in its error body. */
export interface OpenAIStyleError extends ErrorStep {
  message: string;
  /** The API's error type/code, e.g. `invalid_request_error` / `invalid_api_key`. */
  type?: string;
  code?: string | number;
}

/**
 * What OpenAI-shaped APIs answer alike: an empty model list, a 404 for any route but `POST …<endpoint>`, a 500 once the
 * script is used up, and a scripted error step. The reply step to answer, or undefined when the request was answered.
 */
export function openAIStyleStep<Reply extends object>(
  request: RecordedRequest,
  res: http.ServerResponse,
  endpoint: string,
  takeStep: () => Reply | OpenAIStyleError | undefined,
): Reply | undefined {
  const url = new URL(request.path, 'http://mock');
  if (request.method === 'GET' && url.pathname.endsWith('/models')) {
    sendJson(res, 200, { object: 'list', data: [] });
    return undefined;
  }
  if (request.method !== 'POST' || !url.pathname.endsWith(endpoint)) {
    sendJson(res, 404, {
      error: { message: `mock: no route ${request.method} ${url.pathname}`, type: 'invalid_request_error' },
    });
    return undefined;
  }
  const step = takeStep();
  if (!step) {
    sendJson(res, 500, {
      error: { message: 'mock: the scripted conversation has no more steps', type: 'server_error' },
    });
    return undefined;
  }
  if ('status' in step) {
    const error = {
      message: step.message,
      type: step.type ?? 'invalid_request_error',
      param: null,
      code: step.code ?? null,
    };
    sendJson(res, step.status, { error });
    return undefined;
  }
  return step;
}
