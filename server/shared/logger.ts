import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import winston from 'winston';
import type { LogEvent } from './log-events.js';
import { RotatingFileTransport } from './rotating-file.js';

/**
 * Structured logging: one JSON line per event in `<logDir>/<module>.log` (rotated by size to .1, .2…), plus a
 * readable console line when the module runs in the foreground. Fields whose name says they hold a
 * secret or a message body are replaced by "[redacted]", and any known secret value is scrubbed.
 */

export type Fields = Record<string, unknown>;
export type Level = 'error' | 'warn' | 'info' | 'debug';

export interface Logger {
  error(event: LogEvent, fields?: Fields): void;
  warn(event: LogEvent, fields?: Fields): void;
  info(event: LogEvent, fields?: Fields): void;
  debug(event: LogEvent, fields?: Fields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Fields): Logger;
  /** Flushes and closes the files. */
  close(): Promise<void>;
}

export interface LoggerOptions {
  module: string;
  /** Folder for `<module>.log`; no file when absent. */
  dir?: string;
  level: Level;
  console: boolean;
  maxSizeMb: number;
  maxFiles: number;
  /** Values that must never appear in a log line (the config secrets). */
  secrets?: readonly string[];
}

const REDACTED_KEY = /^(password|passwd|pass|secret|token|authorization|cookie|html|text|body|raw|content|.*(Secret|Key|Password|Token))$/i;
const MESSAGE = Symbol.for('message');

function plain(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { message: scrub(value.message, secrets), ...(code ? { code } : {}), stack: value.stack && scrub(value.stack, secrets) };
  }
  if (typeof value === 'string') return scrub(value, secrets);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 4) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => plain(v, secrets, depth + 1));
  const out: Fields = {};
  for (const [k, v] of Object.entries(value))
    out[k] = REDACTED_KEY.test(k) && v !== undefined && v !== null && v !== '' ? '[redacted]' : plain(v, secrets, depth + 1);
  return out;
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && out.includes(s)) out = out.split(s).join('[redacted]');
  return out;
}

/** The JSON object written for one event, keys in a stable order. */
export function logLine(info: Record<string, unknown>, secrets: readonly string[] = []): Fields {
  const { level, message, timestamp, module, ...fields } = info;
  return { time: timestamp, level, module, event: message, ...(plain(fields, secrets) as Fields) };
}

const fileFormat = (secrets: readonly string[]) =>
  winston.format((info) => {
    (info as unknown as Record<symbol, string>)[MESSAGE] = JSON.stringify(logLine(info, secrets));
    return info;
  })();

const consoleFormat = (secrets: readonly string[]) =>
  winston.format((info) => {
    const { time, level, module, event, ...fields } = logLine(info, secrets);
    const pairs = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`);
    (info as unknown as Record<symbol, string>)[MESSAGE] = [String(time).slice(11, 23), String(level).padEnd(5), module, event, ...pairs].join(' ');
    return info;
  })();

export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 8);
  const transports: winston.transport[] = [];
  if (options.dir) {
    mkdirSync(options.dir, { recursive: true, mode: 0o750 });
    transports.push(
      new RotatingFileTransport(join(options.dir, `${options.module}.log`), options.maxSizeMb * 1024 * 1024, options.maxFiles, {
        format: fileFormat(secrets),
        module: options.module,
      }),
    );
  }
  if (options.console) transports.push(new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'], format: consoleFormat(secrets) }));
  if (transports.length === 0) transports.push(new winston.transports.Console({ silent: true }));
  const base = winston.createLogger({
    level: options.level,
    defaultMeta: { module: options.module },
    format: winston.format.combine(winston.format.errors({ stack: true }), winston.format.timestamp()),
    transports,
    exitOnError: false,
  });
  return wrap(base, base);
}

const closed = new WeakSet<winston.Logger>();

function wrap(target: winston.Logger, root: winston.Logger): Logger {
  const emit =
    (level: Level) =>
    (event: LogEvent, fields: Fields = {}) =>
      target.log({ ...fields, level, message: event });
  return {
    error: emit('error'),
    warn: emit('warn'),
    info: emit('info'),
    debug: emit('debug'),
    child: (fields) => wrap(target.child(fields), root),
    close: () =>
      new Promise<void>((resolve) => {
        if (closed.has(root)) return resolve();
        closed.add(root);
        root.on('finish', () => {
          for (const t of root.transports) (t as { close?: () => void }).close?.();
          resolve();
        });
        root.end();
      }),
  };
}

/** A logger that writes nothing (for library use in tests and one-shot CLI commands). */
export function silentLogger(): Logger {
  return createLogger({ module: 'silent', level: 'error', console: false, maxSizeMb: 1, maxFiles: 1 });
}
