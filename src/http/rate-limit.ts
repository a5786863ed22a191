/** Per-route rate limit (requests per minute and client address); 0 leaves the route unlimited. */
export function perMinute(max: number): { rateLimit?: { max: number; timeWindow: string } } {
  return max > 0 ? { rateLimit: { max, timeWindow: '1 minute' } } : {};
}
