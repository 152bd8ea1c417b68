/** A fenced code block of a Markdown file, with what the README-as-test needs to know about it. */
export type MarkdownBlock = {
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  text: string;
  /** Whether the runner treats it as commands (see isShellBlock). */
  shell: boolean;
  /** The reason of a `<!-- readme-test: skip (<reason>) -->` line right before the fence. */
  skipReason?: string;
  /**
   * The answer the Markdown shows for the block's last command, as JSON text: a ```json (or
   * unlabeled JSON) fence right after it, with only blank lines or headings between ("## Response:"
   * in the seed), or a next paragraph that starts "The response is `{…}`".
   */
  shownAnswer?: { line: number; json: string };
};

export const SKIP_MARKER = /^<!-- readme-test: skip \((.+)\) -->$/;
const ANY_MARKER = /^<!--\s*readme-test/;
const FENCE = /^```(\S*)\s*$/;
const SHELL_LANGS = new Set(['bash', 'sh', 'shell']);
/** An unlabeled fence (the seed's style) is a shell block when it starts with one of these commands. */
const SHELL_COMMAND_START = /^(curl|npx|npm|pg-cli|git|cd|docker|docker-compose|open|Start-Process)\b/;

function isShellBlock(lang: string, text: string): boolean {
  if (SHELL_LANGS.has(lang)) return true;
  if (lang !== '') return false;
  const first = text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  return first !== undefined && SHELL_COMMAND_START.test(first.trim());
}

/** `{…}` (an elided object in the README's answers) reads as `{}`: "an object, whatever it holds". */
export function parseShownJson(json: string): unknown {
  return JSON.parse(json.replace(/\{…\}/g, '{}'));
}

function looksLikeJson(text: string): boolean {
  try {
    const value = parseShownJson(text);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

/** The answer shown after the fence that closes on line index `closeIndex` (0-based), if any. */
function findShownAnswer(lines: string[], closeIndex: number): MarkdownBlock['shownAnswer'] {
  let i = closeIndex + 1;
  while (i < lines.length && (lines[i]!.trim() === '' || lines[i]!.startsWith('#'))) i++;
  const next = lines[i] ?? '';
  const inline = /^The response is `(\{.*?\})`/.exec(next);
  if (inline) return { line: i + 1, json: inline[1]! };
  const fence = FENCE.exec(next);
  if (!fence || (fence[1] !== 'json' && fence[1] !== '')) return undefined;
  const end = lines.findIndex((l, j) => j > i && FENCE.test(l));
  if (end < 0) return undefined;
  const json = lines.slice(i + 1, end).join('\n');
  if (fence[1] === '' && !looksLikeJson(json)) return undefined;
  return { line: i + 1, json };
}

/**
 * Every fenced block of a Markdown text, in order. Throws on a readme-test marker that is not
 * exactly the skip marker, or that is not on the line right before a fence: a marker that
 * silently does nothing would let a block rot.
 */
export function extractBlocks(markdown: string, file: string): MarkdownBlock[] {
  const lines = markdown.split('\n');
  const blocks: MarkdownBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (ANY_MARKER.test(line) && !SKIP_MARKER.test(line)) throw new Error(`${file}:${i + 1}: malformed marker, write <!-- readme-test: skip (<reason>) -->`);
    const open = FENCE.exec(line);
    if (!open) continue;
    const close = lines.findIndex((l, j) => j > i && FENCE.test(l));
    if (close < 0) throw new Error(`${file}:${i + 1}: unclosed code fence`);
    const lang = open[1]!;
    const text = lines.slice(i + 1, close).join('\n');
    const shell = isShellBlock(lang, text);
    const marker = i > 0 ? SKIP_MARKER.exec(lines[i - 1]!) : null;
    const block: MarkdownBlock = { line: i + 1, lang, text, shell };
    if (marker) block.skipReason = marker[1]!;
    if (shell) {
      const shownAnswer = findShownAnswer(lines, close);
      if (shownAnswer) block.shownAnswer = shownAnswer;
    }
    blocks.push(block);
    i = close;
  }
  const markers = lines.filter((l) => SKIP_MARKER.test(l)).length;
  const used = blocks.filter((b) => b.skipReason !== undefined).length;
  if (markers !== used) throw new Error(`${file}: ${markers - used} skip marker(s) not immediately before a code fence`);
  return blocks;
}
