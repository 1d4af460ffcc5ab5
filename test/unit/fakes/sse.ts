// Reads a Server-Sent Events body back, for the mock servers' tests: each frame's `event:` name (when it has one) and
// its `data:` (parsed as JSON, or the raw text such as `[DONE]`).

export interface SseFrame {
  event?: string;
  data: unknown;
}

export function sseFrames(body: string): SseFrame[] {
  return body
    .split(/\r?\n\r?\n/)
    .filter((frame) => frame.trim())
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const text = /^data: (.*)$/m.exec(frame)![1]!;
      let data: unknown = text;
      try {
        data = JSON.parse(text);
      } catch {
        // `[DONE]`
      }
      return event === undefined ? { data } : { event, data };
    });
}
