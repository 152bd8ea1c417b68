import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type CurlAnswer = { exitCode: number; stderr: string; status: number; contentType: string; body: string };

/** What a curl command line asks for, read off its arguments. */
export function readCurlRequest(args: string[]): { method: string; url: URL; body?: string; stream: boolean } {
  let method: string | undefined;
  let body: string | undefined;
  let url: URL | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-X' || a === '--request') method = args[++i];
    else if (['-d', '--data', '--data-raw', '--data-binary'].includes(a)) body = args[++i];
    else if (['-H', '--header'].includes(a)) i++;
    else if (/^https?:\/\//.test(a)) url = new URL(a);
  }
  if (!url) throw new Error(`no URL in: curl ${args.join(' ')}`);
  return {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    url,
    ...(body === undefined ? {} : { body }),
    stream: args.includes('-N') || args.includes('--no-buffer'),
  };
}

/**
 * Runs the real curl with the README's arguments (already rewritten by the caller), plus the
 * options that let the test read the answer: the status and headers to files, the body to a
 * file. A stream (`curl -N`) runs until Ctrl-C in the README; here it is cut after `streamSeconds`
 * (curl's exit code 28), which still leaves the status and headers to check.
 */
export async function runCurl(args: string[], streamSeconds = 3): Promise<CurlAnswer> {
  const dir = mkdtempSync(join(tmpdir(), 'readme-curl-'));
  try {
    const stream = readCurlRequest(args).stream;
    const extra = ['--silent', '--show-error', '--dump-header', join(dir, 'headers'), '--output', join(dir, 'body'), '--write-out', '%{http_code}'];
    if (stream) extra.push('--max-time', String(streamSeconds));
    const { exitCode, stdout, stderr } = await new Promise<{ exitCode: number; stdout: string; stderr: string }>((resolve) => {
      execFile('curl', [...args, ...extra], { timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ exitCode: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
      );
    });
    const read = (name: string) => {
      try {
        return readFileSync(join(dir, name), 'utf8');
      } catch {
        return '';
      }
    };
    const contentType = /^content-type:\s*(.+)$/im.exec(read('headers'))?.[1]?.trim() ?? '';
    return { exitCode, stderr, status: Number(stdout.trim()), contentType, body: read('body') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
