// The `{{variables}}` of a runbook body: where each one is (exact offsets, for findings, hovers and completion) and how
// the body reads once they are filled in (for the run plan and for resolving `{{secrets.NAME}}`).

export interface TemplateVariable {
  /** The variable's name without braces or spaces: `results_dir`, `secrets.GITHUB_TOKEN`. */
  name: string;
  /** Offsets of the whole expression, `{{` to `}}` inclusive. */
  start: number;
  end: number;
  /** Offsets of the name alone inside the braces. */
  nameStart: number;
  nameEnd: number;
}

/** `{{ name }}` where name is dotted identifiers (`secrets.NAME`); anything else between braces is not a variable. */
const EXPRESSION = /\{\{([ \t]*)([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)[ \t]*\}\}/y;

/** Every `{{variable}}` in `text[from, to)`, in order. Offsets are into `text`. */
export function findTemplateVariables(text: string, from = 0, to = text.length): TemplateVariable[] {
  const found: TemplateVariable[] = [];
  // indexOf finds the rare `{{` far faster than a global regex scan over a megabyte of prose.
  let at = text.indexOf('{{', from);
  while (at !== -1 && at < to) {
    EXPRESSION.lastIndex = at;
    const match = EXPRESSION.exec(text);
    if (match && EXPRESSION.lastIndex <= to) {
      const nameStart = at + 2 + match[1]!.length;
      const name = match[2]!;
      found.push({ name, start: at, end: EXPRESSION.lastIndex, nameStart, nameEnd: nameStart + name.length });
      at = text.indexOf('{{', EXPRESSION.lastIndex);
    } else {
      // `{{{x}}}` holds `{{x}}` one character on.
      at = text.indexOf('{{', at + 1);
    }
  }
  return found;
}

/**
 * The text with each variable `resolve` knows replaced by its value; variables it does not know (undefined) stay as
 * written, so a missing value is visible rather than silently empty.
 */
export function renderTemplate(text: string, resolve: (name: string) => string | undefined): string {
  const variables = findTemplateVariables(text);
  if (variables.length === 0) return text;
  let out = '';
  let last = 0;
  for (const variable of variables) {
    const value = resolve(variable.name);
    if (value === undefined) continue;
    out += text.slice(last, variable.start) + value;
    last = variable.end;
  }
  return out + text.slice(last);
}

/** The NAME of `secrets.NAME`, or undefined for any other variable. */
export function secretName(variableName: string): string | undefined {
  return variableName.startsWith('secrets.') && variableName.indexOf('.', 8) === -1 ? variableName.slice(8) : undefined;
}
