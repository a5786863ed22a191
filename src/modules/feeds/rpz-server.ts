import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket, type Packet } from 'dns-packet';
import type { RpzZone } from './rpz.js';
import { TSIG_ERROR, TsigSigner, findTsig, uint16, unsignedTsigError, verifyRequest, type TsigKey } from './tsig.js';

const AA = dnsPacket.AUTHORITATIVE_ANSWER;
const RCODE = { NOERROR: 0, FORMERR: 1, NOTAUTH: 9, REFUSED: 5 } as const;
const NOTIFY_OPCODE = 4 << 11;
/** Records per TCP message of a transfer: well under the 65,535-byte message limit (RFC 5936 §2.2). */
const RECORDS_PER_MESSAGE = 400;

export interface RpzServerOptions {
  host: string;
  port: number;
  /** Secondaries told of each new serial (RFC 1996), as `address` or `address@port`. */
  notify: readonly string[];
  /** With keys, a transfer must be signed with one of them (TSIG, RFC 8945) and its answer is signed; SOA queries need none. */
  tsigKeys?: readonly TsigKey[];
}

/**
 * Serves a policy zone to resolvers by zone transfer: SOA queries over UDP and TCP, AXFR (RFC 5936) and IXFR
 * (RFC 1995, answered with the whole zone — §4 allows it — or with the SOA alone when the secondary is
 * current), and NOTIFY (RFC 1996) to the configured secondaries when the serial changes. The zone is rebuilt
 * from the verdict log when its end moved. Nothing else is answered (REFUSED): it is not a resolver. A signed
 * request (TSIG) is verified and answered signed with the same key.
 */
export class RpzServer {
  private tcp: Server | null = null;
  private udp: UdpSocket | null = null;
  private zone: RpzZone | null = null;
  private building: Promise<RpzZone> | null = null;
  private announced = -1;

  constructor(
    private readonly build: () => Promise<RpzZone>,
    private readonly logEnd: () => Promise<number>,
    private readonly options: RpzServerOptions,
  ) {}

  async start(): Promise<{ port: number }> {
    this.zone = await this.build();
    this.announced = this.zone.serial;
    const tcp = createServer((socket) => this.serveTcp(socket));
    tcp.listen(this.options.port, this.options.host);
    await once(tcp, 'listening');
    const port = (tcp.address() as { port: number }).port;
    const udp = createSocket(this.options.host.includes(':') ? 'udp6' : 'udp4');
    // A query that cannot be answered (the database away) gets no answer: the resolver retries or asks another.
    udp.on('message', (message, from) => void this.answerUdp(message).then((reply) => reply && udp.send(reply, from.port, from.address), () => undefined));
    udp.bind(port, this.options.host);
    await once(udp, 'listening');
    this.tcp = tcp;
    this.udp = udp;
    return { port };
  }

  /** The zone as of the log's end now (rebuilt once for concurrent asks). */
  async current(): Promise<RpzZone> {
    const end = await this.logEnd();
    if (this.zone !== null && this.zone.serial === end) return this.zone;
    this.building ??= this.build().finally(() => (this.building = null));
    this.zone = await this.building;
    return this.zone;
  }

  /**
   * Rebuilds when the log moved and tells the secondaries; servers call it on each verdict-log change.
   * Returns the secondaries that acknowledged the NOTIFY.
   */
  async refresh(): Promise<string[]> {
    const zone = await this.current();
    if (zone.serial === this.announced) return [];
    this.announced = zone.serial;
    const answered = await Promise.all(this.options.notify.map((target) => this.notifyOne(zone, target)));
    return this.options.notify.filter((_, i) => answered[i]);
  }

  async close(): Promise<void> {
    this.udp?.close();
    if (this.tcp !== null) await new Promise<void>((resolve) => this.tcp!.close(() => resolve()));
  }

  private serveTcp(socket: Socket): void {
    let pending = Buffer.alloc(0);
    socket.on('error', () => socket.destroy());
    socket.setTimeout(30_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + message.length);
        void this.answerTcp(message).then(
          (replies) => {
            for (const reply of replies) socket.write(reply);
          },
          () => socket.destroy(),
        );
      }
    });
  }

  private async answerTcp(message: Buffer): Promise<Buffer[]> {
    return (await this.reply(message, 'tcp')).map((reply) => Buffer.concat([uint16(reply.length), reply]));
  }

  private async answerUdp(message: Buffer): Promise<Buffer | null> {
    return (await this.reply(message, 'udp'))[0] ?? null;
  }

  /** The wire messages answering one query: verified and signed when it carries a TSIG record. */
  private async reply(message: Buffer, transport: 'tcp' | 'udp'): Promise<Buffer[]> {
    const query = decode(message);
    if (query === null || query.type === 'response') return [];
    const keys = this.options.tsigKeys ?? [];
    const signed = findTsig(message);
    if (signed !== null) {
      const verified = verifyRequest(signed, keys);
      if (!verified.ok) {
        const refusal = dnsPacket.encode(refuse(query, RCODE.NOTAUTH));
        // BADTIME is answered signed (§5.2.3), BADKEY and BADSIG without a MAC (§5.3.2).
        if (verified.error === TSIG_ERROR.BADTIME && verified.key !== null) return [new TsigSigner(verified.key, signed.mac, signed.originalId, verified.error).sign(refusal)];
        return [unsignedTsigError(refusal, signed, verified.error)];
      }
      const signer = new TsigSigner(verified.key, signed.mac, signed.originalId);
      return (await this.packets(query, transport)).map((packet) => signer.sign(dnsPacket.encode(packet)));
    }
    const question = query.questions?.[0];
    // With keys configured, only a key holder may take the zone; anyone may still ask for its serial.
    if (keys.length > 0 && (question?.type === 'AXFR' || (question?.type === 'IXFR' && transport === 'tcp'))) return [dnsPacket.encode(refuse(query, RCODE.REFUSED))];
    return (await this.packets(query, transport)).map((packet) => dnsPacket.encode(packet));
  }

  private async packets(query: DecodedPacket, transport: 'tcp' | 'udp'): Promise<Packet[]> {
    const question = query.questions?.[0];
    if (transport === 'udp' || (question?.type !== 'AXFR' && question?.type !== 'IXFR')) return [await this.answer(query)];
    if (!this.ours(question.name)) return [refuse(query, RCODE.NOTAUTH)];
    const zone = await this.current();
    if (question.type === 'IXFR' && clientSerial(query) === zone.soa.data.serial) return [respond(query, [zone.soa])];
    // The whole zone, the SOA first and last (RFC 5936 §2.2), in messages of a few hundred records.
    const all = [zone.soa, ...zone.records, zone.soa];
    const packets: Packet[] = [];
    for (let i = 0; i < all.length; i += RECORDS_PER_MESSAGE) packets.push(respond(query, all.slice(i, i + RECORDS_PER_MESSAGE), i === 0));
    return packets;
  }

  /** A single-message answer: the SOA (also for IXFR over UDP, RFC 1995 §2, which sends the client to TCP). */
  private async answer(query: DecodedPacket): Promise<Packet> {
    const question = query.questions?.[0];
    if ((query as { opcode?: string }).opcode !== 'QUERY' || question === undefined) return refuse(query, RCODE.REFUSED);
    if (!this.ours(question.name)) return refuse(query, RCODE.REFUSED);
    if (question.type !== 'SOA' && question.type !== 'IXFR') return refuse(query, RCODE.REFUSED);
    return respond(query, [(await this.current()).soa]);
  }

  private ours(name: string): boolean {
    return name.toLowerCase().replace(/\.$/, '') === (this.zone?.soa.name ?? '');
  }

  /** RFC 1996 §3.6: a NOTIFY with the SOA, repeated (up to 5 times, 1 s apart) until the secondary answers. */
  private async notifyOne(zone: RpzZone, target: string): Promise<boolean> {
    const [address, port] = target.includes('@') ? [target.slice(0, target.indexOf('@')), Number(target.slice(target.indexOf('@') + 1))] : [target, 53];
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    const id = Math.floor(Math.random() * 65_536);
    const message = dnsPacket.encode({ type: 'query', id, flags: NOTIFY_OPCODE | AA, questions: [{ name: zone.soa.name, type: 'SOA', class: 'IN' }], answers: [zone.soa] });
    try {
      const answered = new Promise<void>((resolve) => socket.on('message', (reply) => decode(reply)?.id === id && resolve()));
      socket.on('error', () => undefined);
      for (let attempt = 0; attempt < 5; attempt++) {
        socket.send(message, port, address);
        const done = await Promise.race([answered.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref())]);
        if (done) return true;
      }
      return false;
    } finally {
      socket.close();
    }
  }
}

function decode(message: Buffer): DecodedPacket | null {
  try {
    return dnsPacket.decode(message);
  } catch {
    return null;
  }
}

/** The serial of the SOA a secondary sends in an IXFR's authority section (RFC 1995 §3). */
function clientSerial(query: DecodedPacket): number | null {
  const soa = query.authorities?.find((a) => a.type === 'SOA');
  return soa === undefined ? null : (soa.data as { serial: number }).serial;
}

function respond(query: DecodedPacket, answers: Answer[], withQuestion = true): Packet {
  return { type: 'response', id: query.id, flags: AA, questions: withQuestion ? query.questions : [], answers };
}

function refuse(query: DecodedPacket, rcode: number): Packet {
  return { type: 'response', id: query.id, flags: rcode, questions: query.questions ?? [], answers: [] };
}
