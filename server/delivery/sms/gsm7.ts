/**
 * The GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1) and its extension table, for the SMS
 * channel: which texts fit in GSM-7, how many septets they take (an extension character takes
 * two: ESC then its code), and their unpacked encoding (one septet per octet, as SMPP carries
 * data_coding 0). Pure.
 */

const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Extension characters and their code after ESC (0x1B). */
const EXTENSION: ReadonlyArray<[string, number]> = [
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
];

const ESC = 0x1b;
const basicCode = new Map<string, number>([...BASIC].map((c, i) => [c, i]));
basicCode.delete('\u001b');
const extensionCode = new Map(EXTENSION);
const basicChar = [...BASIC];
const extensionChar = new Map(EXTENSION.map(([c, code]) => [code, c]));

if (basicChar.length !== 128) throw new Error(`GSM 03.38 table has ${basicChar.length} characters`);

/** Septets a character takes in GSM-7 (1 or 2), or 0 when it has no GSM-7 form. */
export function septetsOf(char: string): number {
  if (basicCode.has(char)) return 1;
  return extensionCode.has(char) ? 2 : 0;
}

/** Whether every character of the text has a GSM-7 form. */
export function isGsm7(text: string): boolean {
  for (const c of text) if (septetsOf(c) === 0) return false;
  return true;
}

/** The unpacked GSM-7 octets of a text that isGsm7() accepted. */
export function encodeGsm7(text: string): Buffer {
  const out: number[] = [];
  for (const c of text) {
    const basic = basicCode.get(c);
    if (basic !== undefined) out.push(basic);
    else out.push(ESC, extensionCode.get(c)!);
  }
  return Buffer.from(out);
}

/** Decodes unpacked GSM-7 octets (what an SMSC sends with data_coding 0). */
export function decodeGsm7(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]! & 0x7f;
    if (b === ESC && i + 1 < bytes.length) out += extensionChar.get(bytes[++i]! & 0x7f) ?? ' ';
    else out += basicChar[b];
  }
  return out;
}
