import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readUpload } from '../../server/web/upload/multipart.js';

const BOUNDARY = '----HeraldBoundary7MA4YWxkTrZu0gW';
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;
const CSV = 'email,first_name\r\nann@example.com,Ann\r\n--not-a-boundary\r\n\r\nbob@example.com,Bob\r\n';

function body(parts: Array<{ name: string; value: string; filename?: string }>): Buffer {
  const chunks = parts.map(
    (p) =>
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"\r\nContent-Type: text/csv` : ''}\r\n\r\n${p.value}\r\n`,
  );
  return Buffer.from(`${chunks.join('')}--${BOUNDARY}--\r\n`);
}

async function* inChunks(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

describe('multipart upload reader', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'herald-upload-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const upload = body([
    { name: '_csrf', value: 'token-1' },
    { name: 'file', value: CSV, filename: 'C:\\Users\\ann\\people.csv' },
  ]);
  for (const size of [1, 2, 3, 7, 41, 64, 1000, upload.length]) {
    it(`reads fields and streams the file whatever the chunk size (${size} bytes)`, async () => {
      const path = join(dir, `file-${size}.csv`);
      let seen: Record<string, string> | undefined;
      const result = await readUpload(inChunks(upload, size), TYPE, {
        fileField: 'file',
        filePath: path,
        maxBytes: 10_000,
        beforeFile: (f) => (seen = { ...f }),
      });
      assert.deepEqual(seen, { _csrf: 'token-1' }, 'the token is read before the file starts');
      assert.deepEqual(result.file, { filename: 'people.csv', bytes: Buffer.byteLength(CSV) });
      assert.equal(readFileSync(path, 'utf8'), CSV);
    });
  }

  const failures: Array<[string, Buffer, number, string]> = [
    ['a body over the limit', upload, 100, 'UPLOAD_TOO_LARGE'],
    ['a body cut short', upload.subarray(0, upload.length - 20), 10_000, 'UPLOAD_MALFORMED'],
    [
      'a second file',
      body([
        { name: 'file', value: 'a', filename: 'a.csv' },
        { name: 'file', value: 'b', filename: 'b.csv' },
      ]),
      10_000,
      'UPLOAD_MALFORMED',
    ],
    ['a file in another field', body([{ name: 'other', value: 'a', filename: 'a.csv' }]), 10_000, 'UPLOAD_MALFORMED'],
    ['a huge text field', body([{ name: 'note', value: 'x'.repeat(5000) }]), 100_000, 'UPLOAD_MALFORMED'],
  ];
  for (const [what, data, maxBytes, code] of failures) {
    it(`refuses ${what} (${code}) and leaves no file behind`, async () => {
      const path = join(dir, 'refused.csv');
      await assert.rejects(
        readUpload(inChunks(data, 16), TYPE, { fileField: 'file', filePath: path, maxBytes, beforeFile: () => undefined }),
        (err: { code?: string }) => err.code === code,
      );
      assert.equal(existsSync(path), false);
    });
  }

  it('stops before storing anything when the check before the file fails', async () => {
    const path = join(dir, 'forged.csv');
    const forged = body([{ name: 'file', value: CSV, filename: 'a.csv' }]);
    await assert.rejects(
      readUpload(inChunks(forged, 10), TYPE, {
        fileField: 'file',
        filePath: path,
        maxBytes: 10_000,
        beforeFile: () => {
          throw new Error('forbidden');
        },
      }),
      /forbidden/,
    );
    assert.equal(existsSync(path), false);
  });
});
