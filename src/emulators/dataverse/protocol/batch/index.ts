export { BatchFormatError } from './batch-format-error.js';
export type {
  BatchChangeSetItem,
  BatchItem,
  BatchOperation,
  BatchOperationItem,
  BatchRequest,
  BatchTarget,
} from './batch-request.js';
export type { BatchResponseItem, ChangeSetResponsePart } from './batch-response.js';
export { httpReasonPhrase } from './http-reason-phrase.js';
export { MAX_BATCH_OPERATIONS, parseBatchRequest, type ParseBatchOptions } from './parse-batch-request.js';
export { serializeBatchResponse } from './serialize-batch-response.js';
