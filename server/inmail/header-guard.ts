/**
 * Checks the header section of a message as it streams in, before any parser sees it: a header
 * block larger than `maxHeaderBytes` is refused (552), and more than `maxReceived` Received:
 * headers mean a mail loop (554, RFC 5321 §6.3).
 */
export class HeaderGuard {
  private head = '';
  private done = false;

  constructor(
    private readonly maxHeaderBytes: number,
    private readonly maxReceived: number,
  ) {}

  /** Looks at the next chunk; returns the refusal, if any. */
  inspect(chunk: Buffer): (Error & { responseCode: number }) | undefined {
    if (this.done) return undefined;
    this.head += chunk.toString('latin1', 0, Math.min(chunk.length, this.maxHeaderBytes + 4 - this.head.length));
    const end = this.head.search(/\r?\n\r?\n/);
    if (end < 0) return this.head.length > this.maxHeaderBytes ? this.refuse(552, `Header section exceeds ${this.maxHeaderBytes} bytes`) : undefined;
    this.done = true;
    return this.check(this.head.slice(0, end));
  }

  /** At the end of the message: a message that is only headers is checked too. */
  finish(): (Error & { responseCode: number }) | undefined {
    if (this.done) return undefined;
    this.done = true;
    return this.check(this.head);
  }

  private check(header: string): (Error & { responseCode: number }) | undefined {
    const received = header.match(/^received:/gim)?.length ?? 0;
    return received > this.maxReceived ? this.refuse(554, `Too many Received headers (${received}): mail loop`) : undefined;
  }

  private refuse(code: number, message: string): Error & { responseCode: number } {
    this.done = true;
    return Object.assign(new Error(message), { responseCode: code });
  }
}
