/** Whether If-None-Match names this ETag: RFC 9110 §13.1.2 compares weakly, and `*` matches any representation. */
export function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === etag);
}
