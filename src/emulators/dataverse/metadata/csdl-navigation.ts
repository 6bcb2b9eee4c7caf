import type { TableCatalog, TableModel } from './table-catalog.js';

/** A navigation property as `$metadata` declares it on one entity type. */
export interface CsdlNavigation {
  readonly name: string;
  /** `mscrm.account`, `mscrm.principal`, or `Collection(mscrm.task)`. */
  readonly type: string;
  /** The table whose entity set the property leads to; undefined when it leads to several (owner lookups). */
  readonly targetTable: string | undefined;
  readonly partner: string | undefined;
  /** Single-valued only: `_x_value` → the referenced key. */
  readonly constraint: { readonly property: string; readonly referencedProperty: string } | undefined;
}

/** Owner lookups point at systemuser or team through their shared base type (protocols/dataverse.md §5.4). */
const PRINCIPAL_TABLES = new Set(['systemuser', 'team']);

/**
 * Every table's navigation properties, with each single-valued lookup paired with the collection on the
 * referenced table that walks it backwards (`parentaccountid` ↔ `lead_parent_account`), so both sides name
 * each other as `Partner`, as OData CSDL §8.1.3 requires.
 */
export function csdlNavigations(catalog: TableCatalog): Map<string, CsdlNavigation[]> {
  const partners = pairPartners(catalog);
  const result = new Map<string, CsdlNavigation[]>();
  for (const table of catalog.tables) {
    const navigations: CsdlNavigation[] = [];
    for (const single of table.singleNavigations.values()) {
      const target = single.targets.length === 1 ? catalog.table(single.targets[0] ?? '') : undefined;
      const principal = !target && single.targets.every((t) => PRINCIPAL_TABLES.has(t));
      const referencedProperty = target ? target.primaryIdAttribute : principal ? 'ownerid' : undefined;
      navigations.push({
        name: single.name,
        type: target ? `mscrm.${target.logicalName}` : principal ? 'mscrm.principal' : 'mscrm.crmbaseentity',
        targetTable: target?.logicalName,
        partner: partners.get(`${table.logicalName}/${single.name}`),
        constraint: referencedProperty
          ? { property: `_${single.attribute.logicalName}_value`, referencedProperty }
          : undefined,
      });
    }
    for (const collection of table.collectionNavigations.values()) {
      navigations.push({
        name: collection.name,
        type: `Collection(mscrm.${collection.referencingTable})`,
        targetTable: collection.referencingTable,
        partner: partners.get(`${table.logicalName}/${collection.name}`),
        constraint: undefined,
      });
    }
    result.set(table.logicalName, navigations);
  }
  return result;
}

function pairPartners(catalog: TableCatalog): Map<string, string> {
  const partners = new Map<string, string>();
  for (const table of catalog.tables) {
    for (const single of table.singleNavigations.values()) {
      const [target, ...others] = single.targets;
      if (target === undefined || others.length > 0) continue;
      const referenced: TableModel | undefined = catalog.table(target);
      const collection = [...(referenced?.collectionNavigations.values() ?? [])].find(
        (c) =>
          c.referencingTable === table.logicalName && c.referencingAttribute === single.attribute.logicalName,
      );
      if (!collection) continue;
      const collectionKey = `${target}/${collection.name}`;
      if (partners.has(collectionKey)) continue;
      partners.set(`${table.logicalName}/${single.name}`, collection.name);
      partners.set(collectionKey, single.name);
    }
  }
  return partners;
}
