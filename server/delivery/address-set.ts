/**
 * The set of addresses seen during an analysis, for duplicate detection, in 8 bytes per address:
 * each (lower-cased) address is kept as a 64-bit hash (two independent 32-bit FNV-1a variants) in
 * an open-addressing table. 1 million addresses take 16 MB instead of ~100 MB as a Set of strings.
 * A false "duplicate" needs two addresses with the same 64-bit hash: about 3 × 10⁻⁸ at 1 million
 * addresses, 3 × 10⁻⁶ at 10 million.
 */
export class AddressSet {
  private table = new Uint32Array(2 * 1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds the address; true when it was already there. */
  addSeen(address: string): boolean {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ address.length;
    for (let i = 0; i < address.length; i++) {
      const c = address.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    h1 >>>= 0;
    h2 = (h2 | 1) >>> 0; // never 0: a 0 marks an empty slot
    if ((this.count + 1) * 2 > this.table.length / 2) this.grow();
    return this.insert(h1, h2);
  }

  private insert(h1: number, h2: number): boolean {
    const slots = this.table.length / 2;
    for (let slot = h1 & (slots - 1); ; slot = (slot + 1) & (slots - 1)) {
      const a = this.table[slot * 2]!;
      const b = this.table[slot * 2 + 1]!;
      if (b === 0) {
        this.table[slot * 2] = h1;
        this.table[slot * 2 + 1] = h2;
        this.count++;
        return false;
      }
      if (a === h1 && b === h2) return true;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.insert(old[i]!, old[i + 1]!);
  }
}
