import { apiErrorSchema, csvImportResultSchema, type CsvImportResult } from '@contracts';
import { ApiClientError } from '../api/api-client-error.js';
import type { ApiClient } from '../api/api-client.js';
import { sourcePath } from '../api/sources-api.js';

export interface UploadProgress {
  readonly sentBytes: number;
  readonly totalBytes: number;
}

export interface CsvUpload {
  readonly result: Promise<CsvImportResult>;
  readonly abort: () => void;
}

/**
 * Uploads a CSV file to the import endpoint with XMLHttpRequest, because fetch reports no upload
 * progress. The server reads the body as a stream, so the bytes sent are the rows being read; the
 * answer (the per-row result) comes once the last row is stored.
 */
export function uploadCsv(
  api: ApiClient,
  sourceId: string,
  file: Blob,
  headerMapping: Readonly<Record<string, string>>,
  onProgress: (progress: UploadProgress) => void,
): CsvUpload {
  const xhr = new XMLHttpRequest();
  const search = new URLSearchParams();
  for (const [header, field] of Object.entries(headerMapping)) search.set(`map.${header}`, field);
  const query = search.toString();
  const result = api.withSession(
    (headers) =>
      new Promise<CsvImportResult>((resolve, reject) => {
        xhr.open('POST', `${sourcePath(sourceId)}/imports${query ? `?${query}` : ''}`);
        xhr.setRequestHeader('content-type', 'text/csv');
        xhr.setRequestHeader('accept', 'application/json');
        for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
        xhr.upload.onprogress = (event) =>
          onProgress({
            sentBytes: event.loaded,
            totalBytes: event.lengthComputable ? event.total : file.size,
          });
        xhr.onerror = () =>
          reject(
            new ApiClientError('network', 'The upload broke off. Check your connection, then try again.', 0),
          );
        xhr.onabort = () => reject(new ApiClientError('aborted', 'The upload was cancelled.', 0));
        xhr.onload = () => {
          try {
            resolve(answerOf(xhr));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        };
        xhr.send(file);
      }),
  );
  return { result, abort: () => xhr.abort() };
}

function answerOf(xhr: XMLHttpRequest): CsvImportResult {
  let body: unknown;
  try {
    body = xhr.responseText ? (JSON.parse(xhr.responseText) as unknown) : undefined;
  } catch {
    body = undefined;
  }
  if (xhr.status >= 200 && xhr.status < 300) {
    const parsed = csvImportResultSchema.safeParse(body);
    if (parsed.success) return parsed.data;
    throw new ApiClientError(
      'unexpected_response',
      'The server’s answer to the import is not in the expected shape; reload the page.',
      xhr.status,
    );
  }
  const error = apiErrorSchema.safeParse(body);
  if (error.success)
    throw new ApiClientError(
      error.data.error.code,
      error.data.error.message,
      xhr.status,
      error.data.error.field,
    );
  throw new ApiClientError(
    'unexpected_response',
    `The server refused the upload (HTTP ${xhr.status}).`,
    xhr.status,
  );
}
