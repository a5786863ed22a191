/**
 * Where the client keeps its lists between runs: any key-value store of strings. `memoryStorage()` for tests
 * and short-lived processes; `keyValueStorage(localStorage)` in a browser page, or with React Native's
 * AsyncStorage (its methods return promises, which are awaited alike); the browser extension has its own
 * adapter over chrome.storage.local.
 */
export interface StorageAdapter {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  remove(key: string): Promise<void>;
}

export function memoryStorage(): StorageAdapter & { readonly data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: async (key) => data.get(key) ?? null,
    set: async (key, value) => void data.set(key, value),
    remove: async (key) => void data.delete(key),
  };
}

/** The Web Storage shape (localStorage) or AsyncStorage's, synchronous or not. */
export interface KeyValueStore {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

export function keyValueStorage(store: KeyValueStore, prefix = 'scamgraph:'): StorageAdapter {
  return {
    get: async (key) => (await store.getItem(prefix + key)) ?? null,
    set: async (key, value) => void (await store.setItem(prefix + key, value)),
    remove: async (key) => void (await store.removeItem(prefix + key)),
  };
}
