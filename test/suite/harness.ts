// The suite's side of the harness bridge (test/host/bridge.ts): reading a webview's rendered DOM, the notifications on
// screen, clicking a notification's button, screenshots and frame timings, all done by the browser that shows the
// workbench. Only the offline server host has that browser (JETTY_HARNESS_URL); under desktop Electron these fail
// saying so.
import * as vscode from 'vscode';
import type { Notification, WebviewAnswer, WebviewQuery } from '../host/bridge';

async function ask<T>(route: string, body: unknown = {}): Promise<T> {
  const url = process.env.JETTY_HARNESS_URL;
  if (!url)
    throw new Error(
      'this test reads the workbench page through the harness bridge, which only the server host has (JETTY_TEST_HOST=server)',
    );
  const response = await fetch(`${url}${route}`, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`the harness could not ${route}: ${await response.text()}`);
  return (await response.json()) as T;
}

export const harness = {
  webview: (query: WebviewQuery) => ask<WebviewAnswer>('/webview', query),
  /** The notifications shown so far (in the notification center, which this opens), newest first. */
  notifications: async () => {
    await vscode.commands.executeCommand('notifications.showList');
    return ask<Notification[]>('/notifications');
  },
  clickNotification: (message: string, button: string) => ask<boolean>('/notifications/click', { message, button }),
  screenshot: (name: string) => ask<string>('/screenshot', { name }),
  /** The texts of the workbench page's elements matching `selector`, once one shows. */
  read: (selector: string) => ask<string[]>('/page/read', { selector }),
  /** Clicks the first element of the workbench page matching `selector` (and holding `text`), once `after` shows. */
  click: (selector: string, text?: string, after?: string) => ask<boolean>('/page/click', { selector, text, after }),
  /** Types `text` into the quick input showing `title` (an input box, the file dialog), then Enter; resolves to the
   * value it was prefilled with. */
  type: (title: string, text: string) => ask<string>('/page/type', { title, text }),
  watchFrames: (query: WebviewQuery) => ask<void>('/frames/start', query),
  frameTimes: (query: WebviewQuery) => ask<{ maxFrameMs: number; frames: number }>('/frames/stop', query),
};
