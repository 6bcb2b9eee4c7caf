import { readFileSync } from 'node:fs';
import type { AttributeDefinition, TableDefinition } from './table-definition.js';

/** A single-valued navigation property: the name used in `<nav>@odata.bind` and `$expand`. */
export interface SingleNavigation {
  readonly name: string;
  readonly attribute: AttributeDefinition;
  /** Tables the lookup may point at through this navigation property. */
  readonly targets: readonly string[];
}

/** A collection-valued navigation property (one-to-many), e.g. `Lead_Tasks`. */
export interface CollectionNavigation {
  readonly name: string;
  readonly referencingTable: string;
  readonly referencingAttribute: string;
}

export interface TableModel {
  readonly definition: TableDefinition;
  readonly logicalName: string;
  readonly entitySetName: string;
  readonly primaryIdAttribute: string;
  readonly primaryNameAttribute: string;
  readonly attributes: ReadonlyMap<string, AttributeDefinition>;
  /** Lookup read-back names: `_parentaccountid_value` → the `parentaccountid` attribute. */
  readonly lookupProperties: ReadonlyMap<string, AttributeDefinition>;
  readonly singleNavigations: ReadonlyMap<string, SingleNavigation>;
  readonly collectionNavigations: ReadonlyMap<string, CollectionNavigation>;
  /** activitypointer is a read-only view over every activity table, as in Dataverse. */
  readonly isActivityView: boolean;
}

const LOOKUP_TYPES = new Set(['Lookup', 'Customer', 'Owner']);

/**
 * The published pages list lookup targets as they are without Dynamics 365 Sales; Sales adds lead,
 * opportunity, campaign and list as targets of activities' `regardingobjectid`, notes' `objectid` and
 * activity parties' `partyid` (protocols/dataverse.md §1.5: `regardingobjectid_lead_task`, `partyid_lead`).
 */
const SALES_TARGETS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  task: { regardingobjectid: ['lead', 'opportunity', 'campaign', 'list'] },
  phonecall: { regardingobjectid: ['lead', 'opportunity', 'campaign', 'list'] },
  activitypointer: { regardingobjectid: ['lead', 'opportunity', 'campaign', 'list'] },
  annotation: { objectid: ['lead', 'opportunity', 'campaign', 'list'] },
  activityparty: { partyid: ['lead'] },
};

export class TableCatalog {
  readonly tables: readonly TableModel[];
  private readonly byLogicalName: Map<string, TableModel>;
  private readonly bySetName: Map<string, TableModel>;

  private constructor(definitions: readonly TableDefinition[]) {
    const inScope = new Set(definitions.map((d) => d.logicalName));
    const singles = new Map<string, Map<string, SingleNavigation>>();
    for (const definition of definitions)
      singles.set(definition.logicalName, buildSingleNavigations(definition, inScope));
    this.tables = definitions.map((definition) => buildModel(definition, definitions, singles, inScope));
    this.byLogicalName = new Map(this.tables.map((t) => [t.logicalName, t]));
    this.bySetName = new Map(this.tables.map((t) => [t.entitySetName, t]));
  }

  static fromDefinitions(definitions: readonly TableDefinition[]): TableCatalog {
    return new TableCatalog(definitions);
  }

  /** Microsoft's published definitions shipped beside this file. */
  static fromReference(): TableCatalog {
    const url = new URL('./dataverse-tables.json', import.meta.url);
    return new TableCatalog(JSON.parse(readFileSync(url, 'utf8')) as TableDefinition[]);
  }

  table(logicalName: string): TableModel | undefined {
    return this.byLogicalName.get(logicalName);
  }

  tableBySetName(entitySetName: string): TableModel | undefined {
    return this.bySetName.get(entitySetName);
  }

  require(logicalName: string): TableModel {
    const table = this.byLogicalName.get(logicalName);
    if (!table) throw new Error(`Unknown table ${logicalName}`);
    return table;
  }
}

/** Concrete activity tables a lookup to the activitypointer base type can point at. */
const ACTIVITY_TABLES = ['task', 'phonecall'];

function inScopeTargets(
  definition: TableDefinition,
  attribute: AttributeDefinition,
  inScope: Set<string>,
): string[] {
  const declared = attribute.type === 'Owner' ? ['systemuser', 'team'] : [...(attribute.targets ?? [])];
  // A party's activityid points at the concrete activity (task, phonecall), never at the base view.
  if (declared.includes('activitypointer'))
    declared.splice(declared.indexOf('activitypointer'), 1, ...ACTIVITY_TABLES);
  const extra = SALES_TARGETS[definition.logicalName]?.[attribute.logicalName] ?? [];
  return [...new Set([...declared, ...extra])].filter((t) => inScope.has(t));
}

function buildSingleNavigations(
  definition: TableDefinition,
  inScope: Set<string>,
): Map<string, SingleNavigation> {
  const navigations = new Map<string, SingleNavigation>();
  for (const attribute of definition.attributes) {
    if (!LOOKUP_TYPES.has(attribute.type)) continue;
    const targets = inScopeTargets(definition, attribute, inScope);
    if (targets.length === 0) continue;
    const declared = definition.manyToOne.filter((r) => r.referencingAttribute === attribute.logicalName);
    if (
      attribute.type === 'Owner' ||
      (targets.length === 1 && attribute.targets?.[0] !== 'activitypointer')
    ) {
      const name = declared[0]?.navigationProperty ?? attribute.logicalName;
      navigations.set(name, { name, attribute, targets });
      continue;
    }
    for (const target of targets) {
      const name =
        declared.find((r) => r.referencedEntity === target)?.navigationProperty ??
        (definition.isActivity && attribute.logicalName === 'regardingobjectid'
          ? `regardingobjectid_${target}_${definition.logicalName}`
          : `${attribute.logicalName}_${target}`);
      navigations.set(name, { name, attribute, targets: [target] });
    }
  }
  return navigations;
}

function buildModel(
  definition: TableDefinition,
  all: readonly TableDefinition[],
  singles: Map<string, Map<string, SingleNavigation>>,
  inScope: Set<string>,
): TableModel {
  const attributes = new Map(definition.attributes.map((a) => [a.logicalName, a]));
  const lookupProperties = new Map(
    definition.attributes.filter((a) => LOOKUP_TYPES.has(a.type)).map((a) => [`_${a.logicalName}_value`, a]),
  );
  const collectionNavigations = new Map<string, CollectionNavigation>();
  for (const relation of definition.oneToMany) {
    if (!relation.navigationProperty || !inScope.has(relation.referencingEntity)) continue;
    collectionNavigations.set(relation.navigationProperty, {
      name: relation.navigationProperty,
      referencingTable: relation.referencingEntity,
      referencingAttribute: relation.referencingAttribute,
    });
  }
  // The reverse side of every in-scope lookup that the published page does not list (mostly the
  // Sales-added targets), named as Dataverse names them: Lead_Tasks, Lead_Annotation, lead_activity_parties.
  for (const other of all) {
    if (other.logicalName === 'activitypointer') continue;
    for (const nav of singles.get(other.logicalName)?.values() ?? []) {
      if (!nav.targets.includes(definition.logicalName)) continue;
      const attr = nav.attribute.logicalName;
      if (!['regardingobjectid', 'objectid', 'partyid'].includes(attr)) continue;
      const exists = [...collectionNavigations.values()].some(
        (c) => c.referencingTable === other.logicalName && c.referencingAttribute === attr,
      );
      if (exists) continue;
      const name =
        attr === 'objectid'
          ? `${definition.schemaName}_Annotation`
          : attr === 'partyid'
            ? `${definition.logicalName}_activity_parties`
            : `${definition.schemaName}_${other.schemaName}s`;
      collectionNavigations.set(name, {
        name,
        referencingTable: other.logicalName,
        referencingAttribute: attr,
      });
    }
  }
  if (definition.isActivity && definition.logicalName !== 'activitypointer') {
    const name = `${definition.logicalName}_activity_parties`;
    collectionNavigations.set(name, {
      name,
      referencingTable: 'activityparty',
      referencingAttribute: 'activityid',
    });
  }
  return {
    definition,
    logicalName: definition.logicalName,
    entitySetName: definition.entitySetName,
    primaryIdAttribute: definition.primaryIdAttribute,
    primaryNameAttribute: definition.primaryNameAttribute,
    attributes,
    lookupProperties,
    singleNavigations: singles.get(definition.logicalName) ?? new Map(),
    collectionNavigations,
    isActivityView: definition.logicalName === 'activitypointer',
  };
}
