import ipaddr from 'ipaddr.js';

/**
 * What may tell one public reporter apart from another when counting independent reports (docs/poisoning.md):
 * - `network`: the client's network block (IPv4 /24, IPv6 /48 by default). Addresses in distinct blocks
 *   cost something to hold; fresh client tokens and made-up e-mail addresses cost nothing.
 * - `contact`: the contact details given. Only for a deployment that verifies them before a report counts.
 * - `client`: the reporting app's client token. Only for apps whose tokens are attested (Play Integrity,
 *   App Attest) in front of Scamgraph.
 * - `carrier`: the forwarder's number as a partner's SMS gateway delivered it (7726). A SIM costs something
 *   to hold and the gateway holds a partner key; the source is the number under that partner, so a key that
 *   leaks mints sources only until it is revoked.
 * A report none of the enabled signals applies to counts with every other such report as one source.
 */
export const INDEPENDENCE_SIGNALS = ['contact', 'client', 'carrier', 'network'] as const;
export type IndependenceSignal = (typeof INDEPENDENCE_SIGNALS)[number];

export interface IndependenceRule {
  /** The signals that count, from SCAMGRAPH_INDEPENDENT_BY (default `network,carrier`). */
  signals: readonly IndependenceSignal[];
  /** Prefix lengths of a network block (SCAMGRAPH_NETWORK_PREFIX_V4 24, SCAMGRAPH_NETWORK_PREFIX_V6 48). */
  ipv4Prefix: number;
  ipv6Prefix: number;
}

export const DEFAULT_INDEPENDENCE: IndependenceRule = Object.freeze({ signals: Object.freeze(['network', 'carrier'] as const), ipv4Prefix: 24, ipv6Prefix: 48 });

/** The network block of a client address (`10.1.2.0/24`), or null when it is not an IP address. */
export function networkBlock(address: string, rule: IndependenceRule): string | null {
  if (!ipaddr.isValid(address)) return null;
  const ip = ipaddr.process(address); // an IPv4-mapped IPv6 address is its IPv4 address
  if (ip.kind() === 'ipv4') return `${ipaddr.IPv4.networkAddressFromCIDR(`${ip.toString()}/${rule.ipv4Prefix}`).toString()}/${rule.ipv4Prefix}`;
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${ip.toString()}/${rule.ipv6Prefix}`).toString()}/${rule.ipv6Prefix}`;
}

/**
 * The source a public report counts as, by the strongest enabled signal it carries: its contact, its
 * client token, its carrier-delivered number, its network block, in that order; else one shared source for
 * everything unattributed. `reporter` is the reporter's own identity (contact, token or address), already
 * normalized. A gateway's forward has no client address of its own (the address is the gateway's).
 */
export function independenceSource(
  rule: IndependenceRule,
  report: { reporter: string; hasContact: boolean; clientToken?: string; clientAddress: string | null; carrier?: { partner: number; number: string } },
): string {
  if (rule.signals.includes('contact') && report.hasContact) return `contact:${report.reporter}`;
  if (rule.signals.includes('client') && report.clientToken !== undefined) return `client:${report.clientToken}`;
  if (rule.signals.includes('carrier') && report.carrier !== undefined) return `carrier:${report.carrier.partner}:${report.carrier.number}`;
  if (rule.signals.includes('network') && report.clientAddress !== null) {
    const block = networkBlock(report.clientAddress, rule);
    if (block !== null) return `network:${block}`;
  }
  return 'public:unattributed';
}
