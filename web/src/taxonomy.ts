import { useEffect, useState } from 'react';
import { api, type Taxonomy } from './api';

let loading: Promise<Taxonomy> | null = null;

/** The report vocabularies (scam types, channels, roles), fetched once per page load and shared by every page. */
export function useTaxonomy(): Taxonomy | null {
  const [taxonomy, setTaxonomy] = useState<Taxonomy | null>(null);
  useEffect(() => {
    loading ??= api.taxonomy();
    let live = true;
    loading.then(
      (t) => live && setTaxonomy(t),
      () => (loading = null), // retried by the next page that asks
    );
    return () => {
      live = false;
    };
  }, []);
  return taxonomy;
}
