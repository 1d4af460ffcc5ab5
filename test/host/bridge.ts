// What a suite inside the extension host asks of the browser that shows the workbench: a webview's rendered DOM (a
// webview is an iframe of the workbench page, out of the extension host's reach), the notifications on screen (and a
// click on one of their buttons), screenshots, and how long the webview's frames took. The harness serves these on
// 127.0.0.1 (JETTY_HARNESS_URL in the extension host's environment); test/suite/harness.ts is the suite's side.
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';

/** Where screenshots go (git-ignored). */
export const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');

export interface WebviewQuery {
  /** The page's script: `runView` or `comparison` (its body's data-view). */
  view: string;
  /** The page's <title> (the run's name), when several webviews are open. */
  title?: string;
  /** Waits until this selector matches (and, with `text`, until its text contains it). */
  waitFor?: { selector: string; text?: string };
  /** name → CSS selector: the text of every element it matches. */
  read?: Record<string, string>;
  /** name → [CSS selector, attribute]: that attribute of every element it matches. */
  attributes?: Record<string, [string, string]>;
  /** Saves a screenshot of the webview as test-artifacts/<screenshot>.png. */
  screenshot?: string;
  /** How long the wait may take (default WAIT_MS). */
  timeoutMs?: number;
  /** Clicks the first element this selector matches, after the wait and before reading. */
  click?: string;
  /** Types into an input (after the click), as a user would. */
  fill?: { selector: string; text: string };
  /** name → CSS selector of inputs: their current values. */
  values?: Record<string, string>;
}

export interface WebviewAnswer {
  texts: Record<string, string[]>;
  values: Record<string, string[]>;
  attributes: Record<string, (string | null)[]>;
  screenshot?: string;
}

export interface Notification {
  message: string;
  buttons: string[];
}

const WAIT_MS = 20_000;

export async function startBridge(page: Page): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      void handle(page, request.url ?? '', body ? (JSON.parse(body) as Record<string, unknown>) : {}).then(
        (answer) => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(answer ?? null));
        },
        (error: unknown) => {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(error instanceof Error ? error.message : String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function handle(page: Page, route: string, body: Record<string, unknown>): Promise<unknown> {
  switch (route) {
    case '/webview':
      return readWebview(page, body as unknown as WebviewQuery);
    case '/notifications':
      return notifications(page);
    case '/notifications/click':
      return clickNotification(page, body.message as string, body.button as string);
    case '/frames/start':
      return (await findWebview(page, body as unknown as WebviewQuery)).evaluate(START_WATCHING);
    case '/frames/stop':
      return (await findWebview(page, body as unknown as WebviewQuery)).evaluate(STOP_WATCHING);
    case '/screenshot':
      return screenshot(page, String(body.name));
    case '/page/read': {
      // The workbench's own elements (a quick pick's rows), once `selector` shows.
      const selector = String(body.selector);
      await page.waitForSelector(selector, { state: 'visible', timeout: WAIT_MS });
      return page.$$eval(selector, (elements) => elements.map((e) => (e.textContent ?? '').trim()));
    }
    case '/page/click': {
      // A click in the workbench itself (a quick pick's OK), on the first visible match, once `after` shows (the
      // picker's rows: its OK taken before they are there cancels it).
      if (typeof body.after === 'string')
        await page.waitForSelector(body.after, { state: 'visible', timeout: WAIT_MS });
      const target = page.locator(String(body.selector)).filter({ hasText: String(body.text ?? '') });
      await target.first().click({ timeout: WAIT_MS });
      return true;
    }
    case '/page/type':
      return typeInto(page, String(body.title ?? ''), String(body.text ?? ''));
    default:
      throw new Error(`the harness has no ${route}`);
  }
}

/**
 * An answer typed into the quick input (an input box, the file dialog's path) once it shows with `title`, then Enter;
 * resolves to what the box showed before the typing (its prefilled value), for the test to check. The file dialog
 * fills in its folder after it shows, and may overwrite what was typed (on a slow machine, measured in CI): so the
 * answer is typed again until the box takes it and closes.
 */
async function typeInto(page: Page, title: string, text: string): Promise<string> {
  const widget = page.locator('.quick-input-widget').filter({ hasText: title }).first();
  await widget.waitFor({ state: 'visible', timeout: WAIT_MS });
  const input = widget.locator('input.input');
  const before = await input.inputValue();
  const started = Date.now();
  for (let entered = false; ;) {
    // A slow accept (the dialog checks the file) closes the box after the wait below gave up: that is a success too.
    if (entered && !(await widget.isVisible())) return before;
    await input.fill(text, { timeout: 2_000 }).catch(() => undefined);
    // Enter only once the box shows the answer, and nothing is loading (the dialog reads its folder meanwhile).
    await page.waitForTimeout(200);
    const busy = await widget.locator('.monaco-progress-container.active').count();
    if (!busy && (await input.inputValue().catch(() => '')) === text) {
      await input.press('Enter');
      entered = true;
      const closed = await widget
        .waitFor({ state: 'hidden', timeout: 3_000 })
        .then(() => true)
        .catch(() => false);
      if (closed) return before;
    }
    if (Date.now() - started > WAIT_MS) {
      const shown = await widget.innerText().catch(() => '');
      throw new Error(`the quick input "${title}" did not take "${text}"; it shows: ${shown.replace(/\s+/g, ' ')}`);
    }
  }
}

/** The frame holding a Jetty webview's page: VS Code nests it in an iframe inside the webview's own iframe. */
async function findWebview(page: Page, query: WebviewQuery): Promise<Frame> {
  const started = Date.now();
  for (;;) {
    for (const frame of page.frames()) {
      const found = await frame
        .evaluate(([view, title]) => document.body?.dataset.view === view && (!title || document.title === title), [
          query.view,
          query.title ?? '',
        ] as const)
        .catch(() => false);
      if (found) return frame;
    }
    if (Date.now() - started > WAIT_MS)
      throw new Error(`no ${query.view} webview${query.title ? ` titled "${query.title}"` : ''} is showing`);
    await delay(100);
  }
}

async function readWebview(page: Page, query: WebviewQuery): Promise<WebviewAnswer> {
  const frame = await findWebview(page, query);
  if (query.waitFor) {
    const { selector, text } = query.waitFor;
    await frame.waitForFunction(
      ([s, t]) => [...document.querySelectorAll(s)].some((e) => !t || (e.textContent ?? '').includes(t)),
      [selector, text ?? ''] as const,
      { timeout: query.timeoutMs ?? WAIT_MS },
    );
  }
  if (query.click) await frame.click(query.click);
  if (query.fill) await frame.fill(query.fill.selector, query.fill.text);
  const values: Record<string, string[]> = {};
  for (const [name, selector] of Object.entries(query.values ?? {}))
    values[name] = await frame.$$eval(selector, (elements) => elements.map((e) => (e as HTMLInputElement).value));
  const texts: Record<string, string[]> = {};
  for (const [name, selector] of Object.entries(query.read ?? {}))
    texts[name] = await frame.$$eval(selector, (elements) => elements.map((e) => (e.textContent ?? '').trim()));
  const attributes: Record<string, (string | null)[]> = {};
  for (const [name, [selector, attribute]] of Object.entries(query.attributes ?? {}))
    attributes[name] = await frame.$$eval(selector, (elements, a) => elements.map((e) => e.getAttribute(a)), attribute);
  const answer: WebviewAnswer = { texts, values, attributes };
  if (query.screenshot) {
    // The webview's outer iframe, as the workbench shows it (the inner one has the same size).
    const outer = frame.parentFrame() ?? frame;
    const element = await outer.frameElement();
    mkdirSync(ARTIFACTS, { recursive: true });
    answer.screenshot = path.join(ARTIFACTS, `${query.screenshot}.png`);
    await element.screenshot({ path: answer.screenshot });
  }
  return answer;
}

/** The notifications in the notification center (the suite opens it: toasts show three at most, and hide). */
async function notifications(page: Page): Promise<Notification[]> {
  return page.$$eval('.notifications-center .notification-list-item', (items) =>
    items.map((item) => ({
      message: (item.querySelector('.notification-list-item-message')?.textContent ?? '').trim(),
      buttons: [...item.querySelectorAll('.notification-list-item-buttons-container .monaco-button')].map((b) =>
        (b.textContent ?? '').trim(),
      ),
    })),
  );
}

/** Clicks `button` on the notification whose message contains `message`, waiting for it to show. */
async function clickNotification(page: Page, message: string, button: string): Promise<boolean> {
  const started = Date.now();
  for (;;) {
    const toasts = await page.$$('.notification-toast');
    for (const toast of toasts) {
      const text = (await toast.$eval('.notification-list-item-message', (e) => e.textContent ?? '').catch(() => ''))
        .toString()
        .trim();
      if (!text.includes(message)) continue;
      for (const b of await toast.$$('.notification-list-item-buttons-container .monaco-button')) {
        if ((await b.textContent())?.trim() === button) {
          await b.click();
          return true;
        }
      }
    }
    if (Date.now() - started > WAIT_MS) throw new Error(`no notification "${message}" with a "${button}" button`);
    await delay(100);
  }
}

async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

// Run in the webview's page as source text (a function would be sent compiled, with helpers the page does not have).
/** Every animation frame's distance from the last one, from now on. */
const START_WATCHING = `(() => {
  const watch = (window.jettyFrames = { max: 0, count: 0, last: performance.now(), stop: false });
  const tick = (time) => {
    if (watch.count > 0) watch.max = Math.max(watch.max, time - watch.last);
    watch.last = time;
    watch.count++;
    if (!watch.stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

const STOP_WATCHING = `(() => {
  const watch = window.jettyFrames ?? { max: NaN, count: 0 };
  watch.stop = true;
  return { maxFrameMs: watch.max, frames: watch.count };
})()`;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
