import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Issue } from '../template/plan.js';
import { keyedIssue } from '../issue-texts/index.js';

/**
 * The optional spam score of the pre-send checks: one message of the delivery, as Herald builds it,
 * handed to SpamAssassin's `spamc` (Debian package spamc, with spamd running: package spamd). Always a
 * warning or information, never an error: a score is an opinion, and spamd may be down.
 */

export interface SpamcOptions {
  /** The spamc program ('' = no spam score). */
  path: string;
  host: string;
  port: number;
  timeoutMs: number;
}

export async function spamScore(raw: Buffer, options: SpamcOptions): Promise<Issue | undefined> {
  if (!options.path) return undefined;
  if (!existsSync(options.path)) return keyedIssue('spam.score', 'info', 'check.spam.not_installed', { path: options.path });
  const seconds = String(Math.max(1, Math.ceil(options.timeoutMs / 1000)));
  const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(options.path, ['-c', '-x', '-d', options.host, '-p', String(options.port), '-t', seconds], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs + 2000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: err.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(raw);
  });
  const m = /^\s*(-?\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)\s*$/.exec(out.stdout);
  if (!m || (out.code !== 0 && out.code !== 1)) {
    const why = (out.stderr.trim().split('\n')[0] ?? '') || `spamc exited with ${out.code}`;
    return keyedIssue('spam.score', 'warning', 'check.spam.unreachable', { address: `${options.host}:${options.port}`, why: why.slice(0, 200) });
  }
  const [score, threshold] = [Number(m[1]), Number(m[2])];
  return score >= threshold
    ? keyedIssue('spam.score', 'warning', 'check.spam.high', { score, threshold })
    : keyedIssue('spam.score', 'info', 'check.spam.score', { score, threshold });
}
