import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { ORGANISATION_TYPES, type IssuedKey, type PartnerKey } from '../modules/partners/partner.types.js';
import type { OrganisationListing } from '../modules/partners/partners.service.js';
import { withDataDir, withScamgraph } from './context.js';
import { EXIT_OK, UsageError, type CliIO } from './io.js';

const USAGE_LINE =
  'usage: scamgraph partner add NAME --type TYPE --scopes S,S --reason TEXT | partner key create ORG --scopes S,S [--replaces KEY_ID] --reason TEXT | partner key revoke ORG KEY_ID --reason TEXT | partner list | partner usage ORG';

function whole(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,10}$/.test(value)) throw new UsageError(`${option} takes a whole number, not “${value.slice(0, 40)}”`);
  return Number(value);
}

function needReason(reason: string | undefined, what: string): string {
  if (reason === undefined || reason.trim().length < 3) throw new UsageError(`${what} needs --reason TEXT (3 characters or more; it goes into the audit log)`);
  return reason;
}

const scopesOf = (value: string | undefined): string[] => {
  if (value === undefined) throw new UsageError('--scopes is needed: a comma-separated list such as payee:check,outcomes:write');
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
};

const keyLine = (k: PartnerKey): string => {
  const status = k.revokedAt !== null ? `revoked ${k.revokedAt.toISOString()}` : k.expiresAt.getTime() <= Date.now() ? `expired ${k.expiresAt.toISOString()}` : `expires ${k.expiresAt.toISOString()}`;
  return `  key ${k.id}  ${k.prefix}…  ${k.scopes.join(',')}  ${status}`;
};

const issued = (key: IssuedKey): string => `Key ${key.id} (${key.scopes.join(', ')}; expires ${key.expiresAt.toISOString()}). The key, shown once:\n${key.token}\n`;

/**
 * `scamgraph partner …`: partner organisations and their API keys. Adding an organisation prints its first
 * key, once; every change is audited with the actor `cli` and the reason given.
 */
export async function partnerCommand(args: string[], io: CliIO, base: Readonly<Config>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      type: { type: 'string' },
      scopes: { type: 'string' },
      reason: { type: 'string' },
      'expires-days': { type: 'string' },
      'requests-per-minute': { type: 'string' },
      'daily-quota': { type: 'string' },
      replaces: { type: 'string' },
      'overlap-hours': { type: 'string' },
      days: { type: 'string' },
      json: { type: 'boolean' },
      data: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [action, ...rest] = positionals;
  const config = withDataDir(base, values.data);
  const expiresDays = whole(values['expires-days'], '--expires-days');

  if (action === 'add' && rest.length === 1) {
    if (!(ORGANISATION_TYPES as readonly string[]).includes(values.type ?? '')) throw new UsageError(`--type must be one of ${ORGANISATION_TYPES.join(', ')}`);
    const reason = needReason(values.reason, 'partner add');
    return withScamgraph(config, {}, async (sg) => {
      const { organisation, key } = await sg.partners.addOrganisation(
        'cli',
        { name: rest[0] as string, type: values.type as string, scopes: scopesOf(values.scopes), expiresDays, requestsPerMinute: whole(values['requests-per-minute'], '--requests-per-minute'), dailyQuota: whole(values['daily-quota'], '--daily-quota') },
        reason,
      );
      if (values.json === true) io.stdout.write(JSON.stringify({ organisation, key }) + '\n');
      else io.stdout.write(`Added ${organisation.name} (${organisation.type}, organisation ${organisation.id}; ${organisation.requestsPerMinute} requests a minute per node, ${organisation.dailyQuota} calls a day).\n${issued(key)}`);
      return EXIT_OK;
    });
  }
  if (action === 'key' && (rest[0] === 'create' || rest[0] === 'revoke')) {
    const [, orgName, keyId] = rest;
    if (orgName === undefined || (rest[0] === 'create' ? rest.length !== 2 : rest.length !== 3)) throw new UsageError(USAGE_LINE);
    const reason = needReason(values.reason, `partner key ${rest[0]}`);
    return withScamgraph(config, {}, async (sg) => {
      const organisation = await sg.partners.organisation({ name: orgName });
      if (rest[0] === 'revoke') {
        const key = await sg.partners.revokeKey('cli', organisation.id, whole(keyId, 'KEY_ID') as number, reason);
        io.stdout.write(values.json === true ? JSON.stringify({ key }) + '\n' : `Revoked key ${key.id} (${key.prefix}…) of ${organisation.name}: refused on every node within a second.\n`);
        return EXIT_OK;
      }
      const replaces = whole(values.replaces, '--replaces');
      const rotation = replaces === undefined ? undefined : { replaces, overlapHours: whole(values['overlap-hours'], '--overlap-hours') };
      const { key, replaced } = await sg.partners.createKey('cli', organisation.id, { scopes: scopesOf(values.scopes), expiresDays }, reason, rotation);
      if (values.json === true) io.stdout.write(JSON.stringify({ key, replaced }) + '\n');
      else io.stdout.write(`${replaced === null ? '' : `Key ${replaced.id} keeps working until ${replaced.expiresAt.toISOString()}.\n`}${issued(key)}`);
      return EXIT_OK;
    });
  }
  if (action === 'list' && rest.length === 0) {
    return withScamgraph(config, {}, async (sg) => {
      const all = await sg.partners.list();
      if (values.json === true) for (const o of all) io.stdout.write(JSON.stringify(o) + '\n');
      else io.stdout.write(all.length === 0 ? 'No partner organisations yet (scamgraph partner add NAME --type TYPE --scopes …).\n' : all.map(describe).join(''));
      return EXIT_OK;
    });
  }
  if (action === 'usage' && rest.length === 1) {
    const days = whole(values.days, '--days') ?? 30;
    if (days < 1 || days > 366) throw new UsageError('--days is 1 to 366');
    return withScamgraph(config, {}, async (sg) => {
      const organisation = await sg.partners.organisation({ name: rest[0] as string });
      await sg.partnerMeter.flush();
      const rows = await sg.partners.usage(organisation.id, days);
      if (values.json === true) for (const r of rows) io.stdout.write(JSON.stringify(r) + '\n');
      else io.stdout.write(rows.length === 0 ? `No calls by ${organisation.name} in the last ${days} days.\n` : rows.map((r) => `${r.day}  ${r.route}  ${r.calls} calls, ${r.refused} refused\n`).join(''));
      return EXIT_OK;
    });
  }
  throw new UsageError(USAGE_LINE);
}

function describe(o: OrganisationListing): string {
  const head = `${o.name} (${o.type}, organisation ${o.id}${o.disabledAt === null ? '' : ', disabled'}): ${o.requestsPerMinute} requests a minute per node, ${o.dailyQuota} calls a day\n`;
  return head + o.keys.map((k) => keyLine(k) + '\n').join('');
}
