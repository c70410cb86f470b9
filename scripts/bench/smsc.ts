import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import smpp from 'smpp';

/**
 * A real SMSC for the SMS benchmark and tests (test/helpers/smsc.ts), built on the `smpp` package's server side on
 * 127.0.0.1:0: it binds ESMEs (checking system_id and password), answers every submit_sm with a
 * message id, then sends the SMPP 3.4 delivery receipt of the message (deliver_sm, esm_class 0x04,
 * the appendix B text and the receipted_message_id / message_state TLVs), keeping each receipt
 * until the ESME acknowledges it with status 0 as an SMSC does: one refused is sent again a second
 * later, one lost with its connection on the next bind. Numbers listed in
 * `undeliverable` get an UNDELIV receipt; `throttleFirst` answers ESME_RTHROTTLED to the first N
 * submits; `mo()` sends a mobile-originated message to the bound ESME.
 */

export interface ReceivedSubmit {
  messageId: string;
  destination: string;
  source: string;
  dataCoding: number;
  esmClass: number;
  /** The text as the SMSC decoded it (GSM-7 or UCS-2 by data_coding). */
  text: string;
  /** The User Data Header of a concatenated segment (length octet, then its elements). */
  udh: Buffer | undefined;
}

export interface SmscOptions {
  systemId?: string;
  password?: string;
  undeliverable?: readonly string[];
  throttleFirst?: number;
  /** Milliseconds before each receipt is sent (0: right after the response). */
  receiptDelayMs?: number;
  /** false: receipts are not sent. */
  receipts?: boolean;
}

export interface Smsc {
  port: number;
  submits: ReceivedSubmit[];
  /** Receipts the ESME acknowledged with status 0. */
  receiptsAcked: number;
  binds: number;
  sessions(): number;
  /** Sends a mobile-originated message; resolves with the ESME's deliver_sm_resp status. */
  mo(source: string, text: string): Promise<number>;
  /** Closes every bound connection (the ESME must reconnect). */
  dropConnections(): void;
  close(): Promise<void>;
}

const STAT = (undeliverable: boolean) => (undeliverable ? { stat: 'UNDELIV', state: 5, err: '001' } : { stat: 'DELIVRD', state: 2, err: '000' });

export async function startSmsc(options: SmscOptions = {}): Promise<Smsc> {
  const systemId = options.systemId ?? 'herald';
  const password = options.password ?? 'secret';
  const undeliverable = new Set(options.undeliverable ?? []);
  let throttles = options.throttleFirst ?? 0;
  let next = 0x1000;
  const bound: smpp.Session[] = [];
  const state = { submits: [] as ReceivedSubmit[], receiptsAcked: 0, binds: 0 };
  /** Receipts not acknowledged yet whose connection closed: sent again on the next bind. */
  let orphaned: Array<() => void> = [];
  /** Receipts sent on each connection and not acknowledged yet. */
  const unacked = new Map<smpp.Session, Set<() => void>>();
  const deliver = (session: smpp.Session, pdu: () => smpp.PDU) => {
    const resend = () => {
      const target = bound[0];
      if (target) deliver(target, pdu);
      else orphaned.push(resend);
    };
    if (!bound.includes(session)) return void orphaned.push(resend);
    const pending = unacked.get(session) ?? new Set();
    unacked.set(session, pending);
    pending.add(resend);
    session.send(pdu(), (resp) => {
      if (!pending.delete(resend)) return;
      if (resp.command_status === 0) state.receiptsAcked++;
      else setTimeout(resend, 1000).unref();
    });
  };

  const server = smpp.createServer((session) => {
    const bind = (pdu: smpp.PDU) => {
      if (pdu.system_id !== systemId || pdu.password !== password) {
        session.send(pdu.response({ command_status: 0x0d }));
        session.close();
        return;
      }
      state.binds++;
      bound.push(session);
      session.send(pdu.response({ system_id: 'test-smsc' }));
      const waiting = orphaned;
      orphaned = [];
      for (const resend of waiting) resend();
    };
    session.on('bind_transceiver', bind);
    session.on('bind_transmitter', bind);
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('close', () => {
      bound.splice(bound.indexOf(session) >>> 0, 1);
      orphaned.push(...(unacked.get(session) ?? []));
      unacked.delete(session);
    });
    session.on('error', () => undefined);
    session.on('submit_sm', (pdu: smpp.PDU) => {
      if (throttles > 0) {
        throttles--;
        session.send(pdu.response({ command_status: 0x58 }));
        return;
      }
      const messageId = (next++).toString(16);
      const destination = `+${String(pdu.destination_addr)}`;
      const sm = pdu.short_message as { message: Buffer | string; udh?: Buffer[] };
      const elements = sm.udh && sm.udh.length ? Buffer.concat(sm.udh) : undefined;
      state.submits.push({
        messageId,
        destination,
        source: String(pdu.source_addr),
        dataCoding: Number(pdu.data_coding),
        esmClass: Number(pdu.esm_class),
        text: String(sm.message),
        udh: elements && Buffer.concat([Buffer.from([elements.length]), elements]),
      });
      session.send(pdu.response({ message_id: messageId }));
      if (options.receipts === false || !(Number(pdu.registered_delivery) & 1)) return;
      const s = STAT(undeliverable.has(destination));
      const text = `id:${messageId} sub:001 dlvrd:${s.state === 2 ? '001' : '000'} submit date:2603011000 done date:2603011000 stat:${s.stat} err:${s.err} text:`;
      const send = () =>
        deliver(
          session,
          () =>
            new smpp.PDU('deliver_sm', {
              source_addr: String(pdu.destination_addr),
              destination_addr: String(pdu.source_addr),
              esm_class: 0x04,
              short_message: text,
              receipted_message_id: messageId,
              message_state: s.state,
            }),
        );
      if (options.receiptDelayMs) setTimeout(send, options.receiptDelayMs);
      else send();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    get submits() {
      return state.submits;
    },
    get receiptsAcked() {
      return state.receiptsAcked;
    },
    get binds() {
      return state.binds;
    },
    sessions: () => bound.length,
    mo: (source, text) =>
      new Promise<number>((resolve, reject) => {
        const session = bound[0];
        if (!session) return reject(new Error('no ESME is bound'));
        session.send(
          new smpp.PDU('deliver_sm', {
            source_addr_ton: 1,
            source_addr_npi: 1,
            source_addr: source.replace(/^\+/, ''),
            destination_addr: '36111',
            esm_class: 0,
            short_message: text,
          }),
          (resp) => resolve(resp.command_status),
        );
      }),
    dropConnections: () => {
      for (const s of [...bound]) s.destroy();
    },
    close: async () => {
      for (const s of [...bound]) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
