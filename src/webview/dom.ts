// What both webview scripts share: the VS Code webview API, building elements without innerHTML (text is always text),
// codicons, and cleaning the one piece of HTML that comes from elsewhere (a result's markdown, rendered by VS Code).

interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}
declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

export function vscodeApi<State>(): VsCodeApi<State> {
  return acquireVsCodeApi<State>();
}

type Child = Node | string | undefined | null | false;

/** An element with attributes (`class`, `data-*`, `title`…) and children; strings become text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  for (const child of children) if (child) element.append(child);
  return element;
}

export function codicon(name: string, label?: string): HTMLElement {
  const icon = h('span', { class: `codicon codicon-${name}`, 'aria-hidden': label ? undefined : 'true' });
  if (label) icon.setAttribute('aria-label', label);
  return icon;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

const ALLOWED_TAGS = new Set(
  (
    'a abbr b blockquote br code del details div em h1 h2 h3 h4 h5 h6 hr i img kbd li ol p pre s span strong sub ' +
    'summary sup table tbody td th thead tr ul input'
  ).split(' '),
);
const ALLOWED_ATTRIBUTES = new Set(['href', 'src', 'alt', 'title', 'colspan', 'rowspan', 'align', 'checked', 'type']);

/**
 * Markdown rendered by VS Code's own renderer, made safe to show: only text-level and block elements survive, no
 * script, style, form, frame or event handler, links and images only to `https:`/`vscode-webview:` resources (the CSP
 * blocks anything remote all the same). Task-list checkboxes are kept, disabled.
 */
export function cleanHtml(html: string): DocumentFragment {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const out = document.createDocumentFragment();
  const copy = (from: Node, to: Node) => {
    for (const child of Array.from(from.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(child.textContent ?? ''));
        continue;
      }
      if (!(child instanceof Element)) continue;
      const tag = child.tagName.toLowerCase();
      if (!ALLOWED_TAGS.has(tag)) {
        // A tag not allowed keeps its text (unless it is code that would run or style).
        if (!['script', 'style', 'iframe', 'object', 'embed', 'form', 'template', 'svg', 'math'].includes(tag))
          copy(child, to);
        continue;
      }
      const element = document.createElement(tag);
      for (const attribute of Array.from(child.attributes)) {
        const name = attribute.name.toLowerCase();
        if (!ALLOWED_ATTRIBUTES.has(name)) continue;
        if ((name === 'href' || name === 'src') && !/^(https:|vscode-webview:|#)/i.test(attribute.value)) continue;
        element.setAttribute(name, attribute.value);
      }
      if (tag === 'input') {
        if (element.getAttribute('type') !== 'checkbox') continue;
        element.setAttribute('disabled', '');
      }
      if (tag === 'a') element.setAttribute('rel', 'noreferrer');
      copy(child, element);
      to.appendChild(element);
    }
  };
  copy(parsed.body, out);
  return out;
}
