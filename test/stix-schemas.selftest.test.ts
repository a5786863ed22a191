import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stixSchemaErrors } from './helpers/stix-schemas.js';

// Self-test of the vendored OASIS STIX 2.1 schemas and their helper: spec examples pass, broken copies fail.

// STIX 2.1 §4.7 (Indicator) example.
const indicator = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created_by_ref: 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff',
  created: '2016-04-06T20:03:48.000Z',
  modified: '2016-04-06T20:03:48.000Z',
  indicator_types: ['malicious-activity'],
  name: 'Poison Ivy Malware',
  description: 'This file is part of Poison Ivy',
  pattern: "[ file:hashes.'SHA-256' = '4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877' ]",
  pattern_type: 'stix',
  valid_from: '2016-01-01T00:00:00Z',
};

describe('vendored STIX 2.1 schemas', () => {
  it('accept the spec indicator example', () => {
    assert.deepEqual(stixSchemaErrors(indicator), []);
  });

  it('reject an indicator without pattern_type', () => {
    const { pattern_type: _omitted, ...withoutPatternType } = indicator;
    const errors = stixSchemaErrors(withoutPatternType);
    assert.ok(errors.some((e) => e.includes("'pattern_type'")), errors.join('\n'));
  });

  it('accept a domain-name and reject one whose id is not a UUID', () => {
    const domain = {
      type: 'domain-name',
      spec_version: '2.1',
      id: 'domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7',
      value: 'example.com',
    };
    assert.deepEqual(stixSchemaErrors(domain), []);
    const errors = stixSchemaErrors({ ...domain, id: 'domain-name--not-a-uuid' });
    assert.ok(errors.some((e) => e.startsWith('/id ')), errors.join('\n'));
  });

  it('accept an identity with only the required properties', () => {
    const identity = {
      type: 'identity',
      spec_version: '2.1',
      id: 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff',
      created: '2016-04-06T20:03:00.000Z',
      modified: '2016-04-06T20:03:00.000Z',
      name: 'ACME Widget, Inc.',
    };
    assert.deepEqual(stixSchemaErrors(identity), []);
  });

  it('accept the spec extension-definition example (§7.3, new SDO)', () => {
    const extensionDefinition = {
      id: 'extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62',
      type: 'extension-definition',
      spec_version: '2.1',
      name: 'New SDO 1',
      description: 'This schema creates a new object type called my-favorite-sdo-1',
      created: '2014-02-20T09:16:08.989000Z',
      modified: '2014-02-20T09:16:08.989000Z',
      created_by_ref: 'identity--11b76a96-5d2b-45e0-8a5a-f6994f370731',
      schema: 'https://www.example.com/schema-my-favorite-sdo-1/v1/',
      version: '1.2.1',
      extension_types: ['new-sdo'],
    };
    assert.deepEqual(stixSchemaErrors(extensionDefinition), []);
  });

  it('check a custom new-sco object against the common SCO schema, and throw for other unknown types', () => {
    const customSco = {
      type: 'my-favorite-sco',
      spec_version: '2.1',
      id: 'my-favorite-sco--f9dbe89c-0030-4a9d-8b78-0dcd0a0de874',
      name: 'This is the name of my favorite SCO',
      extensions: { 'extension-definition--150c1738-28c9-44d0-802d-70523218240b': { extension_type: 'new-sco' } },
    };
    assert.deepEqual(stixSchemaErrors(customSco), []);
    assert.ok(stixSchemaErrors({ ...customSco, id: 'my-favorite-sco--not-a-uuid' }).length > 0);
    assert.throws(() => stixSchemaErrors({ type: 'malware', name: 'x' }), /no vendored STIX schema/);
  });

  it('check the other vendored SCO types', () => {
    const sco = (type: string, id: string, value: string) => ({ type, spec_version: '2.1', id: `${type}--${id}`, value });
    assert.deepEqual(stixSchemaErrors(sco('url', 'c1477287-23ac-5971-a010-5c287877fa60', 'https://example.com/research/index.html')), []);
    assert.ok(stixSchemaErrors(sco('url', 'c1477287-23ac-5971-a010-5c287877fa60', 'not a url')).length > 0);
    assert.deepEqual(stixSchemaErrors(sco('email-addr', '2d77a846-6264-5d51-b586-e43822ea1ea3', 'john@example.com')), []);
    assert.ok(stixSchemaErrors(sco('email-addr', '2d77a846-6264-5d51-b586-e43822ea1ea3', 'no at sign')).length > 0);
    assert.deepEqual(stixSchemaErrors(sco('ipv4-addr', 'ff26c055-6336-5bc5-b98d-13d6226742dd', '198.51.100.3')), []);
    assert.ok(stixSchemaErrors(sco('ipv4-addr', 'ff26c055-6336-5bc5-b98d-13d6226742dd', '198.51.100.300')).length > 0);
    assert.deepEqual(stixSchemaErrors(sco('ipv6-addr', '1e61d36c-a16c-53b7-a80f-2a00161c96b1', '2001:0db8:85a3:0000:0000:8a2e:0370:7334')), []);
  });
});
