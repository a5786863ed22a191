/** The console's link to a value's page. */
export const indicatorPath = (canonical: string, kind: string): string => `/console/indicators?${new URLSearchParams({ value: canonical, kind }).toString()}`;
