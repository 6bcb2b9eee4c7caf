export {
  applyMapping,
  mapColumn,
  type ColumnOutcome,
  type MappingError,
  type MappingResult,
} from './field-mapping.js';
export {
  mappingInvalidError,
  previewMapping,
  validateMapping,
  type MappingProblem,
} from './mapping-validation.js';
export { requiredColumnsForCreate } from './required-columns.js';
export {
  COMMON_FIELD_NAMES,
  DEFAULT_FORM_FIELDS,
  DEFAULT_LEAD_SUBJECT,
  defaultMapping,
  type DefaultMappingOptions,
  type DefaultMappingTable,
} from './default-mappings.js';
export {
  captureBatchSchema,
  captureBodySchema,
  captureIssuesError,
  captureLeadSchema,
  checkLead,
  FIELD_NAME_PATTERN,
  idempotencyKeyHeaderSchema,
  MAX_EXTERNAL_ID_LENGTH,
  MAX_FIELDS_PER_LEAD,
  MAX_LEADS_PER_REQUEST,
  MAX_VALUE_LENGTH,
  parseCaptureBody,
  type CaptureBody,
  type CaptureIssue,
} from './capture-payload.js';
export { canonicalJson, idempotencyKeyFor } from './idempotency-key.js';
export { checkLeadFields, type FieldIssue } from './source-field-checks.js';
export {
  readCsvLeads,
  type CsvDelimiter,
  type CsvImportOptions,
  type CsvProgress,
  type CsvRow,
} from './csv-import.js';
export {
  MARKETPLACE_LEAD_FIELDS,
  marketplaceIdempotencyKey,
  marketplaceLeadSchema,
  marketplaceLeadToPayload,
  parseMarketplaceLead,
  splitLeadSource,
  type MarketplaceLead,
} from './marketplace-lead.js';
