import { managedProperty } from './localized-label.js';
import type { TableModel } from './table-catalog.js';
import type { AttributeDefinition } from './table-definition.js';

/**
 * Values of the properties only an AttributeMetadata subtype declares (MaxLength, Targets, Precision,
 * DateTimeBehavior, …), from the published column definition; defaults are the platform's own.
 */
export function subtypeValues(table: TableModel, attribute: AttributeDefinition): Record<string, unknown> {
  const maxLength = attribute.maxLength ?? (attribute.type === 'Memo' ? 2000 : 100);
  const numeric = (value: number | string | undefined, fallback: number) =>
    value === undefined ? fallback : Number(value); // Int64 bounds arrive as strings; JSON numbers lose the last digits
  switch (attribute.type) {
    case 'String':
    case 'Memo': {
      const format = attribute.format ?? (attribute.type === 'Memo' ? 'TextArea' : 'Text');
      return {
        DatabaseLength: maxLength * 2,
        Format: format,
        FormatName: { Value: 'formatName' in attribute ? attribute.formatName : format },
        ImeMode: 'Auto',
        IsLocalizable: false,
        MaxLength: maxLength,
        SourceTypeMask: 0,
      };
    }
    case 'Lookup':
    case 'Customer':
    case 'Owner':
    case 'PartyList':
      return { Format: 'None', Targets: lookupTargets(table, attribute) };
    case 'Picklist':
    case 'MultiSelectPicklist':
    case 'State':
    case 'Status':
    case 'EntityName':
      return {
        ChildPicklistLogicalNames: [],
        DefaultFormValue: attribute.defaultFormValue ?? -1,
        SourceTypeMask: 0,
      };
    case 'Boolean':
      return {
        DefaultValue: typeof attribute.defaultValue === 'boolean' ? attribute.defaultValue : false,
        SourceTypeMask: 0,
      };
    case 'DateTime':
      return {
        CanChangeDateTimeBehavior: managedProperty(false, 'canchangedatetimebehavior', false),
        DateTimeBehavior: { Value: attribute.dateTimeBehavior ?? 'UserLocal' },
        Format: attribute.format ?? 'DateAndTime',
        ImeMode: 'Auto',
        MaxSupportedValue: '9999-12-30T23:59:59Z',
        MinSupportedValue: '1753-01-01T00:00:00Z',
        SourceTypeMask: 0,
      };
    case 'Integer':
      return {
        Format: attribute.format ?? 'None',
        ImeMode: 'Auto',
        MaxValue: numeric(attribute.maxValue, 2147483647),
        MinValue: numeric(attribute.minValue, -2147483648),
        SourceTypeMask: 0,
      };
    case 'BigInt':
      return {
        MaxValue: numeric(attribute.maxValue, Number.MAX_SAFE_INTEGER),
        MinValue: numeric(attribute.minValue, Number.MIN_SAFE_INTEGER),
      };
    case 'Money':
    case 'Decimal':
    case 'Double': {
      const precisionSource = 'precisionSource' in attribute ? String(attribute.precisionSource) : '';
      const base = attribute.logicalName.endsWith('_base') ? attribute.logicalName.slice(0, -5) : undefined;
      return {
        CalculationOf: base && table.attributes.has(base) ? base : null,
        ImeMode: 'Auto',
        IsBaseCurrency: base !== undefined,
        MaxValue: numeric(attribute.maxValue, 1000000000),
        MinValue: numeric(attribute.minValue, -1000000000),
        Precision: attribute.precision ?? 2,
        // "2 (TransactionCurrency.CurrencyPrecision)" on the published page: 0 own, 1 org pricing, 2 currency.
        PrecisionSource: Number.parseInt(precisionSource, 10) || 0,
        SourceTypeMask: 0,
      };
    }
    case 'Image':
      return {
        CanStoreFullImage: true,
        IsPrimaryImage: attribute.logicalName === 'entityimage',
        MaxHeight: 144,
        MaxSizeInKB: 10240,
        MaxWidth: 144,
      };
    case 'File':
      return { MaxSizeInKB: 32768 };
    case 'Uniqueidentifier':
      return {};
  }
}

/** The published targets plus those Sales adds (the catalog's navigations), e.g. lead on regardingobjectid. */
function lookupTargets(table: TableModel, attribute: AttributeDefinition): string[] {
  const targets = new Set(attribute.type === 'Owner' ? ['systemuser', 'team'] : (attribute.targets ?? []));
  for (const navigation of table.singleNavigations.values())
    if (navigation.attribute === attribute)
      for (const t of navigation.targets) if (t !== 'activitypointer') targets.add(t);
  return [...targets];
}
