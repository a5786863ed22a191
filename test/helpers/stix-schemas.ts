// STIX 2.1 JSON Schema check for tests, against the OASIS schemas vendored in ../fixtures/stix-schemas (origin,
// commits and licence in its README.md). The schemas are non-normative: passing them does not prove conformance to the
// specification (cross-property rules, reference targets and pattern syntax are not covered; see stix-pattern.ts for
// patterns).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Import from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

// Both packages are CommonJS. Under tsx the default import is already the constructor/function, but TypeScript
// (module NodeNext) types it as the whole module object, whose `.default` is the real export; take whichever exists.
type AjvConstructor = typeof Ajv2020Import.default;
const Ajv2020 = ((Ajv2020Import as unknown as { default?: AjvConstructor }).default ??
  Ajv2020Import) as unknown as AjvConstructor;
type AddFormats = typeof addFormatsImport.default;
const addFormats = ((addFormatsImport as unknown as { default?: AddFormats }).default ??
  addFormatsImport) as unknown as AddFormats;

const SCHEMA_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'stix-schemas');
// Every vendored file carries an absolute $id under this base; relative $refs ("../common/core.json") resolve against it.
const ID_BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

/** Object types with a vendored schema, by the path of that schema below the schemas/ folder. */
const SCHEMA_BY_TYPE: Readonly<Record<string, string>> = {
  indicator: 'sdos/indicator.json',
  identity: 'sdos/identity.json',
  'extension-definition': 'common/extension-definition.json',
  url: 'observables/url.json',
  'domain-name': 'observables/domain-name.json',
  'email-addr': 'observables/email-addr.json',
  'ipv4-addr': 'observables/ipv4-addr.json',
  'ipv6-addr': 'observables/ipv6-addr.json',
  'user-account': 'observables/user-account.json',
};
const CUSTOM_SCO_SCHEMA = 'common/cyber-observable-core.json';

let validators: Map<string, ValidateFunction> | undefined;

function loadValidators(): Map<string, ValidateFunction> {
  const ajv = new Ajv2020({
    // Report every broken rule, not only the first, so a failing test says all that is wrong.
    allErrors: true,
    // The schemas use `\-` outside character classes (e.g. the `type` pattern in core.json), which is an invalid
    // escape in a Unicode-mode RegExp; compile patterns without the `u` flag, as the Python validator does.
    unicodeRegExp: false,
    // The schemas put `properties`, `pattern` etc. in subschemas without a sibling `type` (legal JSON Schema, but
    // ajv's strictTypes would log a warning for each). Every other strict check stays on (unknown keywords/formats).
    strictTypes: false,
  });
  // Formats stay validated: ajv-formats supplies `uri` (url-regex.json) and `email` (email-addr.json). It has no
  // `idn-hostname` (domain-name.json value), which is registered as permissive (always valid) so the schema compiles;
  // domain-name values are therefore not checked for hostname syntax here.
  addFormats(ajv);
  ajv.addFormat('idn-hostname', true);

  const files = readdirSync(SCHEMA_ROOT, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
  for (const file of files) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_ROOT, file), 'utf8')) as object);

  const compiled = new Map<string, ValidateFunction>();
  for (const path of [...Object.values(SCHEMA_BY_TYPE), CUSTOM_SCO_SCHEMA]) {
    const validate = ajv.getSchema(ID_BASE + path); // compiles, resolving $refs among the added schemas
    if (!validate) throw new Error(`stix-schemas: ${path} is not vendored`);
    compiled.set(path, validate);
  }
  return compiled;
}

/** True when the object declares itself a new SCO type through an extension (STIX 2.1 §7.3, extension_type new-sco). */
function isCustomSco(object: Record<string, unknown>): boolean {
  const extensions = object.extensions;
  if (typeof extensions !== 'object' || extensions === null) return false;
  return Object.values(extensions).some(
    (ext) => typeof ext === 'object' && ext !== null && (ext as Record<string, unknown>).extension_type === 'new-sco',
  );
}

/**
 * Schema errors of one STIX 2.1 object as "instancePath message" strings ("/" for the object itself); [] if valid.
 * The schema is chosen by `type`; an object of another type throws, except a custom type that carries a `new-sco`
 * extension, which is checked against the common SCO schema (cyber-observable-core.json).
 */
export function stixSchemaErrors(object: unknown): string[] {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new TypeError('stixSchemaErrors: expected a STIX object');
  }
  const record = object as Record<string, unknown>;
  const type = record.type;
  const path =
    typeof type === 'string' && Object.hasOwn(SCHEMA_BY_TYPE, type)
      ? SCHEMA_BY_TYPE[type]
      : isCustomSco(record)
        ? CUSTOM_SCO_SCHEMA
        : undefined;
  if (path === undefined) throw new Error(`stixSchemaErrors: no vendored STIX schema for type ${JSON.stringify(type)}`);
  validators ??= loadValidators();
  const validate = validators.get(path);
  if (!validate) throw new Error(`stixSchemaErrors: ${path} was not compiled`);
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
