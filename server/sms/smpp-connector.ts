import smpp from 'smpp';
import type { HeraldConfig } from '../shared/config/schema.js';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { ESME, submitOutcome, type SubmitResult } from './submit-status.js';

/**
 * One SMPP 3.4 connection to an SMSC (an `[[sms.connectors]]` entry), kept bound: connect (TCP or
 * TLS), bind as transceiver or transmitter, enquire_link every enquireLinkSec, and on any loss
 * reconnect after 0.5 s, doubled each time up to reconnectMaxSec. Submits go out within the window
 * (at most windowSize without their response) and the rate (messagesPerSecond); a throttling
 * answer (ESME_RTHROTTLED, ESME_RMSGQFUL) pauses this connection, longer each time, instead of
 * failing the message. A response that does not come within responseTimeoutSec drops the
 * connection. Receipts and replies (deliver_sm) go to the inbound handler; the SMSC gets its
 * deliver_sm_resp only once the handler has stored them (a temporary error otherwise, so it
 * sends them again).
 */

export type ConnectorSettings = HeraldConfig['sms']['connectors'][number];

export interface SegmentSubmit {
  destination: string;
  payload: Buffer;
  dataCoding: number;
  esmClass: number;
  /** Ask the SMSC for a delivery receipt. */
  receipt: boolean;
}

/** A deliver_sm as received: the fields a receipt or a reply is read from. */
export interface InboundPdu {
  connector: string;
  source: string;
  sourceTon: number;
  destination: string;
  esmClass: number;
  text: string;
  receiptedMessageId: string | undefined;
  messageState: number | undefined;
}

export type InboundHandler = (pdu: InboundPdu) => Promise<void>;

interface Waiter {
  resolve: (r: SubmitResult) => void;
  timer: NodeJS.Timeout;
}

const THROTTLE_PAUSE_MS = [200, 500, 1000, 2000, 5000];

export class SmppConnector {
  private session?: smpp.Session;
  private bound = false;
  private stopped = false;
  private attempt = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private enquireTimer?: NodeJS.Timeout;
  private readonly waiting = new Map<number, Waiter>();
  private readonly queue: Array<() => void> = [];
  private nextSendMs = 0;
  private pausedUntilMs = 0;
  private throttles = 0;
  readonly counters = { submitted: 0, accepted: 0, throttled: 0, rejected: 0, reconnects: 0, inbound: 0 };

  constructor(
    readonly settings: ConnectorSettings,
    private readonly log: Logger,
    private readonly onInbound: InboundHandler,
  ) {}

  get name(): string {
    return this.settings.name;
  }

  get ready(): boolean {
    return this.bound && !this.stopped;
  }

  start(): void {
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.enquireTimer);
    const session = this.session;
    if (session && this.bound) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        session.send(new smpp.PDU('unbind'), () => (clearTimeout(timer), resolve()));
      });
    }
    session?.destroy();
    this.fail('the connector stopped');
  }

  status(): Record<string, unknown> {
    return { bound: this.bound, inWindow: this.inWindow, queued: this.queue.length, ...this.counters };
  }

  /** Submits one segment; resolves with the SMSC's answer (never rejects). */
  async submit(segment: SegmentSubmit): Promise<SubmitResult> {
    if (!this.ready) return { kind: 'not_connected', text: `connector ${this.name} is not bound` };
    await this.slot();
    const session = this.session;
    if (!this.ready || !session) {
      this.release();
      return { kind: 'not_connected', text: `connector ${this.name} lost its connection` };
    }
    this.counters.submitted++;
    return new Promise<SubmitResult>((resolve) => {
      const pdu = new smpp.PDU('submit_sm', {
        source_addr_ton: /^\d+$/.test(this.settings.sourceAddress) ? (this.settings.sourceAddress.length > 8 ? 1 : 3) : 5,
        source_addr_npi: /^\d+$/.test(this.settings.sourceAddress) ? 1 : 0,
        source_addr: this.settings.sourceAddress,
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: segment.destination.replace(/^\+/, ''),
        esm_class: segment.esmClass,
        data_coding: segment.dataCoding,
        registered_delivery: segment.receipt ? 1 : 0,
        short_message: segment.payload,
      });
      const sent = session.send(pdu, (resp) => {
        const waiter = this.waiting.get(pdu.sequence_number);
        if (!waiter) return;
        clearTimeout(waiter.timer);
        this.waiting.delete(pdu.sequence_number);
        this.release();
        const result = submitOutcome(resp.command_status, String(resp.message_id ?? ''));
        this.counted(result);
        resolve(result);
      });
      if (!sent) {
        this.release();
        resolve({ kind: 'not_connected', text: `connector ${this.name}: the connection is not writable` });
        return;
      }
      const timer = setTimeout(() => {
        this.waiting.delete(pdu.sequence_number);
        this.release();
        resolve({ kind: 'not_connected', text: `connector ${this.name}: no submit_sm_resp within ${this.settings.responseTimeoutSec} s` });
        this.drop('response timeout');
      }, this.settings.responseTimeoutSec * 1000);
      this.waiting.set(pdu.sequence_number, { resolve, timer });
    });
  }

  /** Sends a reply (a STOP confirmation) to a number; resolves with the SMSC's answer. */
  reply(destination: string, segment: Omit<SegmentSubmit, 'destination' | 'receipt'>): Promise<SubmitResult> {
    return this.submit({ ...segment, destination, receipt: false });
  }

  private counted(result: SubmitResult): void {
    if (result.kind === 'accepted') {
      this.counters.accepted++;
      this.throttles = 0;
    } else if (result.kind === 'throttled') {
      this.counters.throttled++;
      const pause = THROTTLE_PAUSE_MS[Math.min(this.throttles++, THROTTLE_PAUSE_MS.length - 1)]!;
      this.pausedUntilMs = Math.max(this.pausedUntilMs, Date.now() + pause);
      this.log.warn('SMS_THROTTLED', { connector: this.name, status: result.status, pauseMs: pause });
    } else if (result.kind === 'rejected') this.counters.rejected++;
  }

  /** Waits for room in the window, the end of a throttling pause and the next rate slot. */
  private async slot(): Promise<void> {
    while (this.inWindow >= this.settings.windowSize) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.inWindow++;
    const now = Date.now();
    const interval = this.settings.messagesPerSecond > 0 ? 1000 / this.settings.messagesPerSecond : 0;
    const at = Math.max(now, this.pausedUntilMs, this.nextSendMs);
    this.nextSendMs = at + interval;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }

  private inWindow = 0;

  private release(): void {
    this.inWindow = Math.max(0, this.inWindow - 1);
    this.queue.shift()?.();
  }

  private connect(): void {
    if (this.stopped) return;
    const s = this.settings;
    const session = smpp.connect({ host: s.host, port: s.port, tls: s.tls, rejectUnauthorized: s.tlsVerify, servername: s.host });
    this.session = session;
    session.on(s.tls ? 'secureConnect' : 'connect', () => this.bind(session));
    session.on('error', (err: Error) => this.log.warn('SMS_CONNECTION_ERROR', { connector: this.name, err: describeError(err) }));
    session.on('close', () => this.closed(session));
    session.on('deliver_sm', (pdu: smpp.PDU) => void this.inbound(session, pdu));
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      this.drop('the SMSC unbound');
    });
  }

  private bind(session: smpp.Session): void {
    const s = this.settings;
    const command = s.bindMode === 'transmitter' ? 'bind_transmitter' : 'bind_transceiver';
    session.send(new smpp.PDU(command, { system_id: s.systemId, password: s.password, system_type: s.systemType, interface_version: 0x34 }), (resp) => {
      if (resp.command_status !== ESME.ROK) {
        this.log.error('SMS_BIND_REFUSED', { connector: this.name, status: resp.command_status });
        this.drop('bind refused');
        return;
      }
      this.bound = true;
      this.attempt = 0;
      this.log.info('SMS_BOUND', { connector: this.name, host: s.host, port: s.port, mode: s.bindMode });
      this.enquireTimer = setInterval(() => session.send(new smpp.PDU('enquire_link')), s.enquireLinkSec * 1000);
    });
  }

  private async inbound(session: smpp.Session, pdu: smpp.PDU): Promise<void> {
    this.counters.inbound++;
    try {
      await this.onInbound(readInbound(this.name, pdu));
      session.send(pdu.response({ command_status: ESME.ROK }));
    } catch (err) {
      this.log.warn('SMS_INBOUND_DEFERRED', { connector: this.name, err: describeError(err) });
      session.send(pdu.response({ command_status: ESME.RX_T_APPN }));
    }
  }

  private drop(reason: string): void {
    this.log.warn('SMS_CONNECTION_DROPPED', { connector: this.name, reason });
    this.session?.destroy();
  }

  private closed(session: smpp.Session): void {
    if (session !== this.session) return;
    this.bound = false;
    clearInterval(this.enquireTimer);
    this.fail('the connection closed before the SMSC answered');
    if (this.stopped) return;
    const delay = Math.min(this.settings.reconnectMaxSec * 1000, 500 * 2 ** this.attempt++);
    this.counters.reconnects++;
    this.log.info('SMS_RECONNECTING', { connector: this.name, inMs: delay });
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  /** Submits still waiting for their response are answered "not connected": they go back to the queue. */
  private fail(text: string): void {
    for (const [seq, waiter] of this.waiting) {
      clearTimeout(waiter.timer);
      this.waiting.delete(seq);
      this.release();
      waiter.resolve({ kind: 'not_connected', text: `connector ${this.name}: ${text}` });
    }
  }
}

/** The fields of a deliver_sm Herald reads (short_message decoded by the package, or raw). */
function readInbound(connector: string, pdu: smpp.PDU): InboundPdu {
  const sm = pdu.short_message as { message?: unknown } | Buffer | string | undefined;
  const message = Buffer.isBuffer(sm) ? sm.toString('latin1') : typeof sm === 'string' ? sm : sm && typeof sm === 'object' ? sm.message : '';
  const payload = pdu.message_payload as { message?: unknown } | undefined;
  const text = String((message || payload?.message) ?? '');
  return {
    connector,
    source: String(pdu.source_addr ?? ''),
    sourceTon: Number(pdu.source_addr_ton ?? 0),
    destination: String(pdu.destination_addr ?? ''),
    esmClass: Number(pdu.esm_class ?? 0),
    text,
    receiptedMessageId: typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id : undefined,
    messageState: typeof pdu.message_state === 'number' ? pdu.message_state : undefined,
  };
}
