export { ScamgraphClient, type ClientOptions } from './client.js';
export { LinkLists, LINK_LISTS, type LinkCheck, type ListedVerdict, type SyncResult, type ThreatType } from './link-lists.js';
export { NumberLists, type NumberCheck, type NumberKind } from './number-lists.js';
export { keyValueStorage, memoryStorage, type KeyValueStore, type StorageAdapter } from './storage.js';
export { ScamgraphError, Transport, DEFAULT_RETRY, type RetryOptions, type TransportOptions } from './transport.js';
export { webCryptoSha256, type Digest } from './bytes.js';
export type { CheckError, CheckResult, Kind, Label, Level, NewReport, ReportReceipt, Verdict } from '../../../src/http/api-types.js';
