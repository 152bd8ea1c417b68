import { stripVTControlCharacters } from 'node:util';
import { formatLogRecord, type FormatMemory, type LogRecord } from './pretty-log-format.js';
import type { Paint } from './paint.js';

/** How many consecutive request lines may fold together (a dashboard polls two paths in turn). */
const FOLD_BLOCK = 3;

type Folded = { key: string; text: string; count: number };

/**
 * The destination `pg-cli dev` hands pino on a terminal: each JSON line becomes one human line
 * (pretty-log-format.ts). A request that repeats one of the request lines just printed (a
 * dashboard or a script polling) redraws those lines with a count instead of adding lines, so a
 * poll every second does not bury everything else; anything else printed ends the fold.
 */
export class PrettyLogStream {
  private readonly memory: FormatMemory = { requests: new Map() };
  private block: Folded[] = [];
  private partial = '';

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly paint: Paint,
    /** Cursor movement is only for terminals; elsewhere every line is printed. */
    private readonly canRedraw: boolean,
  ) {}

  /** pino's destination interface: one or more newline-terminated JSON records. */
  write(chunk: string): boolean {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') this.writeRecordLine(line);
    return true;
  }

  /** Prints text as it is (the banner), ending any fold. */
  print(text: string): void {
    this.block = [];
    this.out.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  private writeRecordLine(line: string): void {
    let record: LogRecord;
    try {
      record = JSON.parse(line) as LogRecord;
    } catch {
      this.print(line); // not JSON (a library writing plain text): shown as it is
      return;
    }
    const formatted = formatLogRecord(record, this.memory, this.paint);
    if (!formatted) return;
    const { text, foldKey } = formatted;
    if (foldKey === undefined) return this.print(text);
    const repeat = this.canRedraw && this.fitsOneRow(text) ? this.block.find((b) => b.key === foldKey) : undefined;
    if (!repeat) {
      // A line that wraps would throw the cursor arithmetic off: it is printed outside any fold.
      if (!this.fitsOneRow(text)) return this.print(text);
      if (this.block.length >= FOLD_BLOCK) this.block = [];
      this.block.push({ key: foldKey, text, count: 1 });
      this.out.write(`${text}\n`);
      return;
    }
    if (!this.fitsOneRow(`${text} ×${repeat.count + 1}`)) {
      this.print(text);
      return;
    }
    repeat.count += 1;
    repeat.text = text;
    // Up to the first line of the block, clear to the end of the screen, print the block again.
    this.out.write(`\u001B[${this.block.length}F\u001B[0J`);
    for (const b of this.block) this.out.write(`${b.text}${b.count > 1 ? this.paint('dim', ` ×${b.count}`) : ''}\n`);
  }

  private fitsOneRow(text: string): boolean {
    const columns = (this.out as { columns?: number }).columns ?? 80;
    return stripVTControlCharacters(text).length + 1 < columns;
  }
}
