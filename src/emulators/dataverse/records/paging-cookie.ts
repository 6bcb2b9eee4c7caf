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
  /** Store version captured by the first page of a change-tracking read; its delta link starts there. */
  readonly trackingVersion?: number;
}

export function encodePagingCookie(cookie: PagingCookie): string {
  const pk = cookie.primaryId ?? 'id';
  const inner = `<cookie page="${cookie.page - 1}"><${pk} last="{${(cookie.lastId ?? '').toUpperCase()}}" first="{${(cookie.firstId ?? '').toUpperCase()}}" /></cookie>`;
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
  const last = /last="\{([0-9A-Fa-f-]+)\}"/.exec(inner);
  const tracking = /trackingversion="(\d+)"/.exec(token);
  return {
    page: Number(page[1]),
    ...(last?.[1] ? { lastId: last[1].toLowerCase() } : {}),
    ...(tracking?.[1] ? { trackingVersion: Number(tracking[1]) } : {}),
  };
}
