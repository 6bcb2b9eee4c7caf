import { dataverseErrors } from '../errors.js';

/**
 * The `$skiptoken` of a next link. Dataverse's is a URL-encoded FetchXML paging cookie
 * (`<cookie pagenumber="2" pagingcookie="…" istracking="False" />`, MSDocs query/page-results.md);
 * ours has the same shape, so clients that log or inspect it see the familiar form.
 */
export interface PagingCookie {
  readonly page: number;
  readonly primaryId?: string;
  readonly lastId?: string;
  readonly firstId?: string;
  /**
   * The `$orderby` columns and their values on the page's last row, in `$orderby` order (null for an
   * empty column). Like FetchXML's cookie they let the next page start after that row by value, so it
   * neither repeats nor skips rows when the row itself was changed or deleted meanwhile.
   */
  readonly sortValues?: readonly { readonly name: string; readonly last: string | null }[];
  /** Store version captured by the first page of a change-tracking read; its delta link starts there. */
  readonly trackingVersion?: number;
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unescapeXml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

export function encodePagingCookie(cookie: PagingCookie): string {
  const pk = cookie.primaryId ?? 'id';
  const columns = (cookie.sortValues ?? [])
    .map(({ name, last }) => (last === null ? `<${name} />` : `<${name} last="${escapeXml(last)}" />`))
    .join('');
  const inner = `<cookie page="${cookie.page - 1}">${columns}<${pk} last="{${(cookie.lastId ?? '').toUpperCase()}}" first="{${(cookie.firstId ?? '').toUpperCase()}}" /></cookie>`;
  const tracking = cookie.trackingVersion === undefined ? 'False' : 'True';
  const version = cookie.trackingVersion === undefined ? '' : ` trackingversion="${cookie.trackingVersion}"`;
  return `<cookie pagenumber="${cookie.page}" pagingcookie="${encodeURIComponent(inner)}" istracking="${tracking}"${version} />`;
}

export function decodePagingCookie(token: string): PagingCookie {
  const page = /pagenumber="(\d+)"/.exec(token);
  if (!page) throw dataverseErrors.invalidQuery(`The $skiptoken '${token}' is not valid.`);
  let inner = '';
  const pagingCookie = /pagingcookie="([^"]*)"/.exec(token);
  try {
    inner = decodeURIComponent(pagingCookie?.[1] ?? '');
  } catch {
    throw dataverseErrors.invalidQuery(`The $skiptoken '${token}' is not valid.`);
  }
  const elements = [...inner.matchAll(/<([A-Za-z_][\w]*)((?:\s+\w+="[^"]*")*)\s*\/>/g)];
  const key = elements[elements.length - 1];
  const last = /last="\{([0-9A-Fa-f-]+)\}"/.exec(key?.[2] ?? '');
  const sortValues = elements.slice(0, -1).map((element) => {
    const value = /last="([^"]*)"/.exec(element[2] ?? '');
    return { name: element[1] ?? '', last: value?.[1] === undefined ? null : unescapeXml(value[1]) };
  });
  const tracking = /trackingversion="(\d+)"/.exec(token);
  return {
    page: Number(page[1]),
    ...(last?.[1] ? { lastId: last[1].toLowerCase() } : {}),
    ...(sortValues.length > 0 ? { sortValues } : {}),
    ...(tracking?.[1] ? { trackingVersion: Number(tracking[1]) } : {}),
  };
}
