/**
 * The parsed shape of a `$batch` request body (docs/protocols/dataverse.md §3). The parser produces it; the
 * batch executor walks it in order and runs each operation through the ordinary handlers.
 */

/**
 * Where an operation is aimed.
 *
 * - `url`: an ordinary target, already resolved to an absolute URL (absolute, server-relative and
 *   service-root-relative request lines all end up here).
 * - `reference`: the request line starts with `$<contentId>` (e.g. `PUT $1/lastname HTTP/1.1`, `PATCH $1`).
 *   Inside a change set `$n` stands for the URL of the entity created by the earlier operation whose
 *   Content-ID is `n` (§3), which only exists once that operation has run — so the parser keeps it
 *   unresolved. The executor builds the final URL as `<created entity URL>` + `rest`.
 *   `contentId` is guaranteed to have been declared by an earlier operation of the same change set.
 */
export type BatchTarget =
  | { readonly kind: 'url'; readonly url: URL }
  | {
      readonly kind: 'reference';
      /** The referenced Content-ID, without the `$` (`'1'` for `$1`). */
      readonly contentId: string;
      /** Whatever follows `$<contentId>` in the request line, verbatim: `''`, `'/lastname'`, `'?$select=x'`. */
      readonly rest: string;
      /** The request target exactly as written, e.g. `$1/lastname`. */
      readonly raw: string;
    };

export interface BatchOperation {
  /** Upper-cased HTTP method from the request line. */
  readonly method: string;
  readonly target: BatchTarget;
  /** Headers of the inner HTTP request, names lower-cased; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** Body of the inner request ('' when none), trailing line breaks removed. */
  readonly body: string;
  /**
   * The operation's Content-ID (from the MIME part headers, or failing that the inner request headers);
   * absent when neither carries one.
   */
  readonly contentId?: string;
}

export interface BatchOperationItem {
  readonly kind: 'operation';
  readonly operation: BatchOperation;
}

/** An atomic group (§3): all operations succeed or the whole change set is rolled back. Never contains GET. */
export interface BatchChangeSetItem {
  readonly kind: 'changeSet';
  readonly operations: readonly BatchOperation[];
}

export type BatchItem = BatchOperationItem | BatchChangeSetItem;

/** The batch in request order; responses must come back in the same order (§3). */
export interface BatchRequest {
  readonly items: readonly BatchItem[];
}
