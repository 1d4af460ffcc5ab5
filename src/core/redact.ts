// The one choke point that keeps secrets out of everything the extension and the CLI show or write: output channel,
// trajectory tree and files, run metadata, error messages. Every secret value known (stored keys, values passed to a
// run) is replaced by `***`, in every spelling it takes in text (JSON-escaped, URL-encoded, base64, hex).
import { KEY_NAMES, MIN_SECRET_LENGTH, providerSettingsFromEnv, settingsCredentials } from './keys';

export const REDACTED = '***';
/** Says to a redact function that its text was cut at its end (a literal, so `lines.map(redact)` cannot pass an index). */
export const CUT_AT_END = 'cut-at-end';
/** What every redact function handed around is: the Redactor's, or a test's stand-in. */
export type Redact = (text: string, cut?: typeof CUT_AT_END) => string;

/**
 * Values shorter than MIN_SECRET_LENGTH (8) are not redacted: no provider issues keys that short, and replacing a short
 * value such as `dev`, `1234` or `true` would mangle ordinary text (every `true` in a log turned into `***`). The key
 * store warns when such a value is saved, because it will not be hidden.
 */
function isSecretLike(value: string | undefined): value is string {
  return typeof value === 'string' && value.length >= MIN_SECRET_LENGTH;
}

/**
 * The spellings a value takes in text: as is, inside a JSON string (where `"`, `\` and control characters are escaped,
 * and some encoders also write `/` as `\/`), inside a JSON string inside a JSON string (a tool result carrying JSON),
 * percent-encoded in a URL, in base64 (standard and URL-safe, wherever it sits in a longer encoded text) and in hex.
 * For plain alphanumeric keys the first ones all collapse to the value itself.
 */
function spellings(value: string): string[] {
  const jsonOnce = JSON.stringify(value).slice(1, -1);
  const jsonTwice = JSON.stringify(jsonOnce).slice(1, -1);
  const bytes = Buffer.from(value, 'utf8');
  const hex = bytes.toString('hex');
  return [
    value,
    jsonOnce,
    jsonOnce.replaceAll('/', '\\/'),
    jsonTwice,
    encodeURIComponent(value),
    ...base64Forms(bytes),
    hex,
    hex.toUpperCase(),
  ].filter(isSecretLike);
}

/**
 * The value's bytes as they read inside any base64 text: its encoding depends on where the value starts (the offset
 * modulo 3), so one form per offset, each without the characters that also hold bits of what comes before or after.
 */
function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    forms.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return forms;
}

/** A cut may leave this much of a key's start at the end of a text; shorter is no more than a key's well-known prefix. */
const MIN_PARTIAL = 4;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export class Redactor {
  /** Values by where they came from ('keys' for the key store, a run id for a run's values), so each can be replaced. */
  private readonly sources = new Map<string, readonly string[]>();
  /** All spellings of all values, longest first, as one lookahead pattern; undefined when there is nothing to hide. */
  private pattern: RegExp | undefined;
  /**
   * The same alternatives without the lookahead: about ten times faster to say whether a line holds any secret at all
   * (measured, test/bench/redact.bench.ts), and almost no line does.
   */
  private probe: RegExp | undefined;
  /** Every spelling, for `redact(text, CUT_AT_END)`: what a cut may have left of one at the end. */
  private all: readonly string[] = [];

  constructor(values: Iterable<string | undefined> = []) {
    this.set('initial', values);
  }

  /** Replaces the values known under `source`. */
  set(source: string, values: Iterable<string | undefined>): void {
    const kept = [...values].filter(isSecretLike);
    if (kept.length) this.sources.set(source, kept);
    else this.sources.delete(source);
    this.rebuild();
  }

  delete(source: string): void {
    if (this.sources.delete(source)) this.rebuild();
  }

  /** How many distinct secret values are hidden. */
  get size(): number {
    return new Set([...this.sources.values()].flat()).size;
  }

  private rebuild(): void {
    const all = new Set<string>();
    for (const values of this.sources.values())
      for (const value of values) for (const s of spellings(value)) all.add(s);
    this.all = [...all];
    if (all.size === 0) {
      this.pattern = this.probe = undefined;
      return;
    }
    // Longest first: at a given position the first alternative that matches wins, so a key that extends another is
    // matched whole. A zero-width lookahead finds a match at every position, overlapping ones included, so two keys
    // that overlap in the text are both covered (a plain global match would consume the first and miss the second's start).
    const alternatives = [...all].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = new RegExp(`(?=(${alternatives.join('|')}))`, 'g');
    this.probe = new RegExp(alternatives.join('|'));
  }

  /**
   * The text with every known secret replaced by `***`; with CUT_AT_END (the text was cut there before it got here),
   * also a key's first characters at its very end. Bound, so it can be handed around as a plain function.
   * Callers redact whole texts before they cut them (lines after line splitting, an error's output before its last
   * lines are kept), so a key split across two network chunks is still caught and no cut leaves part of a key;
   * CUT_AT_END is for where the cut comes first (a line over the line splitter's limit).
   */
  readonly redact = (text: string, cut?: typeof CUT_AT_END): string => {
    const whole = this.redactWhole(text);
    return cut === CUT_AT_END ? this.hidePartialEnd(whole) : whole;
  };

  private hidePartialEnd(text: string): string {
    let longest = 0;
    for (const spelling of this.all) {
      for (let n = Math.min(spelling.length - 1, text.length); n >= Math.max(MIN_PARTIAL, longest + 1); n--) {
        if (text.endsWith(spelling.slice(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest ? `${text.slice(0, -longest)}${REDACTED}` : text;
  }

  private redactWhole(text: string): string {
    const pattern = this.pattern;
    if (!pattern || text.length < MIN_SECRET_LENGTH || !this.probe!.test(text)) return text;
    let out = '';
    let copiedTo = 0; // text before this index is already in `out`
    let coveredTo = -1; // end of the current run of overlapping matches
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[1]!.length;
      if (start > coveredTo) {
        // A new, separate secret: flush the previous one and the plain text before this one.
        if (coveredTo >= 0) out += REDACTED;
        out += text.slice(copiedTo, start);
        coveredTo = end;
      } else if (end > coveredTo) {
        coveredTo = end;
      }
      copiedTo = coveredTo;
    }
    if (coveredTo < 0) return text;
    return out + REDACTED + text.slice(copiedTo);
  }
}

/**
 * The CLI's redactor: the same key names, read from environment variables (the CLI never touches SecretStorage), any
 * other names whose values a run passes on (a runbook's declared `secrets:`), and the credential parts of the URL
 * settings' variables (a gateway's https://user:token@… or ?key=…).
 */
export function redactorFromEnv(env: NodeJS.ProcessEnv, extraNames: Iterable<string> = []): Redactor {
  const names = new Set<string>([...KEY_NAMES, ...extraNames]);
  return new Redactor([...[...names].map((name) => env[name]), ...settingsCredentials(providerSettingsFromEnv(env))]);
}

/** An error as a message a user may see: its text, redacted. Never throws, whatever was thrown. */
export function redactedMessage(error: unknown, redact: (text: string) => string): string {
  let text: string;
  try {
    text = error instanceof Error ? error.message : typeof error === 'string' ? error : String(error);
  } catch {
    text = 'An unknown error occurred.';
  }
  return redact(text);
}
