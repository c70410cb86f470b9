/**
 * The document id of a routed message: what the extraction file gives the provider for each letter
 * or fax and what its return file gives back. `H<delivery id>-<broad log id>`: unique, stable when
 * a file is written again, and checked on the way back (the delivery must be the message's own).
 * Pure.
 */

export const documentId = (deliveryId: number, broadLogId: number): string => `H${deliveryId}-${broadLogId}`;

const FORM = /^H([1-9][0-9]{0,15})-([1-9][0-9]{0,15})$/;

export function parseDocumentId(value: string): { deliveryId: number; broadLogId: number } | undefined {
  const m = FORM.exec(value.trim());
  return m ? { deliveryId: Number(m[1]), broadLogId: Number(m[2]) } : undefined;
}
