/** One simple command of a shell block: `NAME=value … argv…`, and the Markdown line it starts on. */
export type ShellCommand = { line: number; env: Record<string, string>; argv: string[] };

/** How a command reads in a message. */
export const showCommand = (c: ShellCommand) =>
  [...Object.entries(c.env).map(([k, v]) => `${k}=${v}`), ...c.argv].map((w) => (/^[\w@%+=:,./…-]+$/.test(w) ? w : `'${w}'`)).join(' ');

/**
 * Characters that bash (or zsh) would read as syntax when unquoted: operators, redirections,
 * substitutions and globs (zsh stops with "no matches found" on an unmatched `?`). The README's
 * commands are meant to be pasted, so they must not depend on any of it.
 */
const UNQUOTED_SYNTAX = /[|;&<>()`$*?[\]{}!]/;

/**
 * Splits a shell block into simple commands the way bash reads them, for the subset a README
 * uses: words, '…' and "…" quoting (without expansion), `\` line continuations, `#` comments
 * and `&&` between commands. Anything else throws, naming the line, so the README is fixed
 * rather than run differently from how bash would run it. A word listed in `readAsQuoted` is
 * taken whole even though it has unquoted syntax: the one place a document we may not edit (the
 * seed's) needs it, and the caller prints it.
 */
export function parseShellBlock(text: string, firstLine: number, readAsQuoted: readonly string[] = []): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: string[] = [];
  let word: string | null = null;
  let line = firstLine;
  let startLine = firstLine;
  const endWord = () => {
    if (word === null) return;
    if (words.length === 0) startLine = line;
    words.push(word);
    word = null;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) {
      const env: Record<string, string> = {};
      while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) {
        const [name, ...value] = words.shift()!.split('=');
        env[name!] = value.join('=');
      }
      commands.push({ line: startLine, env, argv: words });
    }
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === '\n') {
      endWord();
      line++;
      i++;
      continue;
    }
    if (c === '\n') {
      endCommand();
      line++;
      continue;
    }
    if (c === ' ' || c === '\t') {
      endWord();
      continue;
    }
    if (c === '#' && word === null) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    if (c === '&' && text[i + 1] === '&' && word === null) {
      i++;
      endCommand();
      continue;
    }
    if (word === null) {
      const rest = text.slice(i).split(/[ \t\n]/)[0]!;
      const whole = readAsQuoted.find((w) => rest === w);
      if (whole) {
        word = whole;
        i += whole.length - 1;
        continue;
      }
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error(`line ${line}: unclosed ${c === "'" ? 'single' : 'double'} quote`);
      const quoted = text.slice(i + 1, end);
      if (c === '"' && /[$`\\]/.test(quoted))
        throw new Error(`line ${line}: expansion or escape inside "…" (${quoted}) is not something the README runner reads`);
      word = (word ?? '') + quoted;
      line += quoted.split('\n').length - 1;
      i = end;
      continue;
    }
    if (UNQUOTED_SYNTAX.test(c)) {
      throw new Error(`line ${line}: unquoted '${c}' is shell syntax (bash or zsh would not pass it to the command as written): quote the word`);
    }
    word = (word ?? '') + c;
  }
  endCommand();
  return commands;
}
