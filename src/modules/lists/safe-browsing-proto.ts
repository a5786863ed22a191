import protobuf from 'protobufjs';

/**
 * The messages of the Safe Browsing v4 Update API in its protobuf form (`alt=proto`): names and field numbers
 * as the API defines them (developers.google.com/safe-browsing/reference/rest, and the proto of Google's Go
 * client). Only the Update API's messages are here. Fields a client may send that are not declared are
 * skipped when decoding, as protobuf does.
 */
const ENUMS = {
  ThreatType: { THREAT_TYPE_UNSPECIFIED: 0, MALWARE: 1, SOCIAL_ENGINEERING: 2, UNWANTED_SOFTWARE: 3, POTENTIALLY_HARMFUL_APPLICATION: 4 },
  PlatformType: { PLATFORM_TYPE_UNSPECIFIED: 0, WINDOWS: 1, LINUX: 2, ANDROID: 3, OSX: 4, IOS: 5, ANY_PLATFORM: 6, ALL_PLATFORMS: 7, CHROME: 8 },
  ThreatEntryType: { THREAT_ENTRY_TYPE_UNSPECIFIED: 0, URL: 1, EXECUTABLE: 2 },
  CompressionType: { COMPRESSION_TYPE_UNSPECIFIED: 0, RAW: 1, RICE: 2 },
  ResponseType: { RESPONSE_TYPE_UNSPECIFIED: 0, PARTIAL_UPDATE: 1, FULL_UPDATE: 2 },
};

type Field = { type: string; id: number; rule?: 'repeated' };
const f = (type: string, id: number, repeated = false): Field => (repeated ? { type, id, rule: 'repeated' } : { type, id });
const message = (fields: Record<string, Field>) => ({ fields });

const root = protobuf.Root.fromJSON({
  nested: {
    safebrowsing: {
      nested: {
        ...Object.fromEntries(Object.entries(ENUMS).map(([name, values]) => [name, { values }])),
        ClientInfo: message({ clientId: f('string', 1), clientVersion: f('string', 2) }),
        Checksum: message({ sha256: f('bytes', 1) }),
        Duration: message({ seconds: f('int64', 1), nanos: f('int32', 2) }),
        RawHashes: message({ prefixSize: f('int32', 1), rawHashes: f('bytes', 2) }),
        RawIndices: message({ indices: f('int32', 1, true) }),
        RiceDeltaEncoding: message({ firstValue: f('int64', 1), riceParameter: f('int32', 2), numEntries: f('int32', 3), encodedData: f('bytes', 4) }),
        ThreatEntrySet: message({ compressionType: f('CompressionType', 1), rawHashes: f('RawHashes', 2), rawIndices: f('RawIndices', 3), riceHashes: f('RiceDeltaEncoding', 4), riceIndices: f('RiceDeltaEncoding', 5) }),
        ThreatEntry: message({ hash: f('bytes', 1), url: f('string', 2) }),
        ThreatInfo: message({ threatTypes: f('ThreatType', 1, true), platformTypes: f('PlatformType', 2, true), threatEntries: f('ThreatEntry', 3, true), threatEntryTypes: f('ThreatEntryType', 4, true) }),
        MetadataEntry: message({ key: f('bytes', 1), value: f('bytes', 2) }),
        ThreatEntryMetadata: message({ entries: f('MetadataEntry', 1, true) }),
        ThreatMatch: message({ threatType: f('ThreatType', 1), platformType: f('PlatformType', 2), threat: f('ThreatEntry', 3), threatEntryMetadata: f('ThreatEntryMetadata', 4), cacheDuration: f('Duration', 5), threatEntryType: f('ThreatEntryType', 6) }),
        Constraints: message({ maxUpdateEntries: f('int32', 1), maxDatabaseEntries: f('int32', 2), region: f('string', 3), supportedCompressions: f('CompressionType', 4, true) }),
        ListUpdateRequest: message({ threatType: f('ThreatType', 1), platformType: f('PlatformType', 2), state: f('bytes', 3), constraints: f('Constraints', 4), threatEntryType: f('ThreatEntryType', 5) }),
        FetchThreatListUpdatesRequest: message({ client: f('ClientInfo', 1), listUpdateRequests: f('ListUpdateRequest', 3, true) }),
        ListUpdateResponse: message({
          threatType: f('ThreatType', 1),
          threatEntryType: f('ThreatEntryType', 2),
          platformType: f('PlatformType', 3),
          responseType: f('ResponseType', 4),
          additions: f('ThreatEntrySet', 5, true),
          removals: f('ThreatEntrySet', 6, true),
          newClientState: f('bytes', 7),
          checksum: f('Checksum', 8),
        }),
        FetchThreatListUpdatesResponse: message({ listUpdateResponses: f('ListUpdateResponse', 1, true), minimumWaitDuration: f('Duration', 2) }),
        FindFullHashesRequest: message({ client: f('ClientInfo', 1), clientStates: f('bytes', 2, true), threatInfo: f('ThreatInfo', 3), apiClient: f('ClientInfo', 4) }),
        FindFullHashesResponse: message({ matches: f('ThreatMatch', 1, true), minimumWaitDuration: f('Duration', 2), negativeCacheDuration: f('Duration', 3) }),
        ThreatListDescriptor: message({ threatType: f('ThreatType', 1), platformType: f('PlatformType', 2), threatEntryType: f('ThreatEntryType', 3) }),
        ListThreatListsResponse: message({ threatLists: f('ThreatListDescriptor', 1, true) }),
      },
    },
  },
});

export type SafeBrowsingMessage =
  | 'FetchThreatListUpdatesRequest'
  | 'FetchThreatListUpdatesResponse'
  | 'FindFullHashesRequest'
  | 'FindFullHashesResponse'
  | 'ListThreatListsResponse'
  | 'ThreatEntrySet';

export function messageType(name: SafeBrowsingMessage): protobuf.Type {
  return root.lookupType(`safebrowsing.${name}`);
}

const DURATION = /^(\d+)s$/;

/** Durations as JSON writes them ("120s") become the Duration message; everything else passes through. */
function durationsAsMessages(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(durationsAsMessages);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      const duration = key.endsWith('Duration') && typeof v === 'string' ? DURATION.exec(v) : null;
      return [key, duration === null ? durationsAsMessages(v) : { seconds: duration[1] }];
    }),
  );
}

/**
 * An answer in its JSON form (proto3 JSON mapping: enums by name, bytes in base64, int64 as text, durations
 * as "Ns") encoded as the protobuf message.
 */
export function encodeMessage(name: SafeBrowsingMessage, json: object): Buffer {
  const type = messageType(name);
  return Buffer.from(type.encode(type.fromObject(durationsAsMessages(json) as Record<string, unknown>)).finish());
}

/** A protobuf request read into the JSON form the routes validate (unknown enum numbers kept as text). */
export function decodeMessage(name: SafeBrowsingMessage, bytes: Buffer): Record<string, unknown> {
  const type = messageType(name);
  const object = type.toObject(type.decode(bytes), { enums: String, bytes: String, longs: String });
  return enumNumbersAsText(object) as Record<string, unknown>;
}

function enumNumbersAsText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(enumNumbersAsText);
  if (typeof value === 'number') return value;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, /Type(s)?$|^supportedCompressions$/.test(key) ? textOf(v) : enumNumbersAsText(v)]));
}

function textOf(v: unknown): unknown {
  return Array.isArray(v) ? v.map(textOf) : typeof v === 'number' ? String(v) : v;
}
