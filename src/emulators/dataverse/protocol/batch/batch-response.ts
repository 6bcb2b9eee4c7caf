import type { EmulatorResponse } from '../emulator-request.js';

/** One response inside a change set; `contentId` echoes the request part's Content-ID (§3). */
export interface ChangeSetResponsePart {
  readonly contentId?: string;
  readonly response: EmulatorResponse;
}

/**
 * One top-level part of a `$batch` response, in request order: either a single operation's response or a
 * change set's responses (serialized as a nested `changesetresponse_<guid>` multipart, §3).
 */
export type BatchResponseItem =
  | { readonly kind: 'operation'; readonly response: EmulatorResponse }
  | { readonly kind: 'changeSet'; readonly parts: readonly ChangeSetResponsePart[] };
