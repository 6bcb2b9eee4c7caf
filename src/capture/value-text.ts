/**
 * How a value appears inside an error sentence: quoted and shortened, so a 10,000-character note does
 * not flood a sync log line while the person reading it still recognises the value.
 */
const PREVIEW_LENGTH = 20;

export function quoteValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'nothing';
  const text = String(value);
  const short = [...text].length > PREVIEW_LENGTH ? `${[...text].slice(0, PREVIEW_LENGTH).join('')}…` : text;
  return JSON.stringify(short);
}

/** Characters as a person counts them (code points), which is also how Dataverse counts MaxLength. */
export const characterCount = (text: string): number =>
  text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);

const thousands = new Intl.NumberFormat('en-US');
export const formatCount = (n: number): string => thousands.format(n);

/** True for `null`, `undefined` and text that is empty once trimmed: the value was not given. */
export const isBlank = (value: unknown): boolean =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
