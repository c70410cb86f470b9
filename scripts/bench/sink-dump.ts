import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Reads smtp-sink's dump file (-D) from `offset`: copies per recipient, and messages per client
 * (its HELO name, one per MTA node). Each dumped message starts with the sink's own X-Client-Addr,
 * X-Client-Proto, X-Helo-Args, X-Mail-Args and X-Rcpt-Args lines.
 */
export interface DumpCounts {
  copies: Map<string, number>;
  perHelo: Map<string, number>;
}

export async function countDump(file: string, offset: number, keep: (address: string) => boolean): Promise<DumpCounts> {
  const counts: DumpCounts = { copies: new Map(), perHelo: new Map() };
  let helo = '';
  const lines = createInterface({ input: createReadStream(file, { start: offset }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.startsWith('X-Helo-Args: ')) helo = line.slice(13).trim();
    else if (line.startsWith('X-Rcpt-Args: ')) {
      const address = line.slice(13).trim().replace(/^<|>$/g, '').toLowerCase();
      if (!keep(address)) continue;
      counts.copies.set(address, (counts.copies.get(address) ?? 0) + 1);
      counts.perHelo.set(helo, (counts.perHelo.get(helo) ?? 0) + 1);
    }
  }
  return counts;
}
