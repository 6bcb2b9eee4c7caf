/**
 * A next or delta link: the request URL with one query option replaced. Dataverse keeps the other
 * options as the client sent them and leaves `$` unencoded (`…?$select=name&$skiptoken=%3Ccookie…`,
 * MSDocs query/page-results.md), which URLSearchParams would rewrite as `%24select`.
 */
export function linkWithOption(
  requestUrl: URL,
  option: string,
  value: string,
  drop: readonly string[] = [],
): string {
  const removed = new Set([option, ...drop]);
  const kept = requestUrl.search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '' && !removed.has(decodeURIComponent(pair.split('=')[0] ?? '')));
  kept.push(`${option}=${encodeURIComponent(value)}`);
  return `${requestUrl.origin}${requestUrl.pathname}?${kept.join('&')}`;
}
