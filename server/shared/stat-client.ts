import { Agent, request } from 'node:http';
import {
  sign,
  STAT_AUTH_HEADER,
  STAT_PATHS,
  type GrantAnswer,
  type GrantRequest,
  type RegisterAnswer,
  type RegisterRequest,
  type StatView,
} from './stat-protocol.js';

/**
 * The client side of the stat server protocol (shared/stat-protocol.ts), for the MTA and `herald stat
 * show`: signed JSON POSTs over a few kept-alive connections, each bounded by `timeoutMs` from start
 * to answer. Any failure (refused connection, timeout, an answer that is not the expected JSON)
 * throws, and the MTA falls back to its local limits.
 */

export class StatRefused extends Error {
  constructor(
    readonly status: number,
    readonly refused: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Answers are small; a larger one is not the stat server's. */
const MAX_ANSWER_BYTES = 64 * 1024;

export class StatClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });
  private readonly host: string;
  private readonly port: number;

  constructor(
    readonly server: string,
    private readonly key: string,
    private readonly timeoutMs: number,
  ) {
    const at = server.lastIndexOf(':');
    this.host = server.slice(0, at).replace(/^\[(.*)\]$/, '$1');
    this.port = Number(server.slice(at + 1));
  }

  register(body: RegisterRequest): Promise<RegisterAnswer> {
    return this.post(STAT_PATHS.register, body) as Promise<RegisterAnswer>;
  }

  grant(body: GrantRequest): Promise<GrantAnswer> {
    return this.post(STAT_PATHS.grant, body) as Promise<GrantAnswer>;
  }

  /** What the stat server carries now, per sending IP and key (`herald stat show`). */
  status(): Promise<StatView> {
    return this.post(STAT_PATHS.status, {}) as Promise<StatView>;
  }

  close(): void {
    this.agent.destroy();
  }

  private post(path: string, payload: unknown): Promise<unknown> {
    const body = JSON.stringify(payload);
    const headers = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      [STAT_AUTH_HEADER]: sign(this.key, Date.now(), path, body),
    };
    return new Promise((resolve, reject) => {
      const req = request({ host: this.host, port: this.port, path, method: 'POST', headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error('answer too large'));
          else chunks.push(c);
        });
        res.on('end', () => {
          let json: { error?: string; refused?: string } & Record<string, unknown>;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return reject(new Error(`answer ${res.statusCode} is not JSON`));
          }
          if (res.statusCode === 200) resolve(json);
          else reject(new StatRefused(res.statusCode ?? 0, json.refused, `${res.statusCode}: ${json.error ?? 'refused'}`));
        });
        res.on('error', reject);
      });
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('close', () => clearTimeout(timer));
      req.on('error', reject);
      req.end(body);
    });
  }
}
