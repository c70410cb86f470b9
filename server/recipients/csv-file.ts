import { open } from 'node:fs/promises';

/** The first bytes of a file (up to 64 KB): enough for its byte-order mark and its header line. */
export async function fileHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The first line of a file (read from its first 64 KB) in its encoding, to detect the CSV delimiter. */
export async function firstLine(file: string, encoding = 'utf-8'): Promise<string> {
  return new TextDecoder(encoding).decode(await fileHead(file)).split(/\r?\n/)[0] ?? '';
}
