import { csdlNavigations, type CsdlNavigation } from './csdl-navigation.js';
import type { TableCatalog, TableModel } from './table-catalog.js';
import { webApiProperties, type WebApiProperty } from './web-api-properties.js';
import { xml } from './xml-escape.js';

/**
 * The `$metadata` CSDL document (MSDocs webapi/web-api-service-documents.md; protocols/dataverse.md §5.4):
 * every table is an entity type in `Microsoft.Dynamics.CRM` (alias `mscrm`) deriving from the abstract
 * `crmbaseentity`; systemuser and team derive from `principal` (key `ownerid`), activities from
 * `activitypointer` (key `activityid`) and so declare neither a key nor the inherited properties.
 * The document is built once per catalog and cached: a real one is tens of MB and clients fetch it rarely.
 */
const cache = new WeakMap<TableCatalog, string>();

const NAMESPACE = 'Microsoft.Dynamics.CRM';

export function buildCsdl(catalog: TableCatalog): string {
  const cached = cache.get(catalog);
  if (cached !== undefined) return cached;
  const document = renderCsdl(catalog);
  cache.set(catalog, document);
  return document;
}

const ACTIVITY_BASE = 'activitypointer';
const PRINCIPAL_TABLES = new Set(['systemuser', 'team']);

function baseTypeOf(table: TableModel, catalog: TableCatalog): string {
  if (PRINCIPAL_TABLES.has(table.logicalName)) return 'principal';
  if (table.definition.isActivity && table.logicalName !== ACTIVITY_BASE && catalog.table(ACTIVITY_BASE))
    return ACTIVITY_BASE;
  return 'crmbaseentity';
}

function renderCsdl(catalog: TableCatalog): string {
  const navigations = csdlNavigations(catalog);
  const tables = [...catalog.tables].sort((a, b) => compare(a.logicalName, b.logicalName));
  const declared = new Map<string, { properties: WebApiProperty[]; navigations: CsdlNavigation[] }>();
  // Base types first, so a derived type can leave out what it inherits.
  const principalMembers = { properties: [ownerIdProperty()], navigations: [] };
  const ordered = [...tables].sort(
    (a, b) =>
      Number(baseTypeOf(a, catalog) !== 'crmbaseentity') - Number(baseTypeOf(b, catalog) !== 'crmbaseentity'),
  );
  for (const table of ordered) {
    const base = baseTypeOf(table, catalog);
    const inherited = base === 'principal' ? principalMembers : declared.get(base);
    const names = new Set(
      [...(inherited?.properties ?? []), ...(inherited?.navigations ?? [])].map((m) => m.name),
    );
    declared.set(table.logicalName, {
      properties: webApiProperties(table).filter((p) => !names.has(p.name)),
      navigations: (navigations.get(table.logicalName) ?? []).filter((n) => !names.has(n.name)),
    });
  }

  const lines: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    '<edmx:DataServices>',
    `<Schema Namespace="${NAMESPACE}" Alias="mscrm" xmlns="http://docs.oasis-open.org/odata/ns/edm">`,
    '<EntityType Name="crmbaseentity" Abstract="true"/>',
    // Open type the service uses for untyped action parameters (MSDocs webapi/web-api-entitytypes.md).
    '<EntityType Name="expando" BaseType="mscrm.crmbaseentity" OpenType="true"/>',
    '<EntityType Name="principal" BaseType="mscrm.crmbaseentity" Abstract="true">',
    '  <Key><PropertyRef Name="ownerid"/></Key>',
    `  ${renderProperty(ownerIdProperty())}`,
    '</EntityType>',
  ];
  for (const table of tables) {
    const base = baseTypeOf(table, catalog);
    const members = declared.get(table.logicalName);
    lines.push(`<EntityType Name="${xml(table.logicalName)}" BaseType="mscrm.${base}">`);
    if (base === 'crmbaseentity')
      lines.push(`  <Key><PropertyRef Name="${xml(table.primaryIdAttribute)}"/></Key>`);
    for (const property of members?.properties ?? []) lines.push(`  ${renderProperty(property)}`);
    for (const navigation of members?.navigations ?? []) lines.push(`  ${renderNavigation(navigation)}`);
    lines.push('</EntityType>');
  }
  lines.push(...OPERATIONS);
  lines.push('<EntityContainer Name="System">');
  for (const table of [...tables].sort((a, b) => compare(a.entitySetName, b.entitySetName))) {
    const bindings = bindingsOf(table, catalog, navigations);
    const open = `  <EntitySet Name="${xml(table.entitySetName)}" EntityType="${NAMESPACE}.${xml(table.logicalName)}"`;
    if (bindings.length === 0) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    for (const [path, target] of bindings)
      lines.push(`    <NavigationPropertyBinding Path="${xml(path)}" Target="${xml(target)}"/>`);
    lines.push('  </EntitySet>');
  }
  lines.push(
    `  <FunctionImport Name="WhoAmI" Function="${NAMESPACE}.WhoAmI" IncludeInServiceDocument="false"/>`,
    `  <ActionImport Name="AddListMembersList" Action="${NAMESPACE}.AddListMembersList"/>`,
  );
  lines.push('</EntityContainer>', '</Schema>', '</edmx:DataServices>', '</edmx:Edmx>');
  return lines.join('\n') + '\n';
}

function ownerIdProperty(): WebApiProperty {
  return {
    name: 'ownerid',
    edmType: 'Edm.Guid',
    attribute: {
      logicalName: 'ownerid',
      schemaName: 'OwnerId',
      type: 'Uniqueidentifier',
      requiredLevel: 'SystemRequired',
      isValidForCreate: false,
      isValidForUpdate: false,
      isValidForRead: true,
    },
  };
}

function renderProperty(property: WebApiProperty): string {
  let facets = '';
  const { maxLength } = property.attribute;
  if (property.edmType === 'Edm.String' && maxLength !== undefined) facets += ` MaxLength="${maxLength}"`;
  // Money and decimal columns keep their own precision per row; Scale defaults to 0 in CSDL 4.0 §6.2.4.
  if (property.edmType === 'Edm.Decimal') facets += ' Scale="Variable"';
  return `<Property Name="${xml(property.name)}" Type="${property.edmType}"${facets}/>`;
}

function renderNavigation(navigation: CsdlNavigation): string {
  const partner = navigation.partner ? ` Partner="${xml(navigation.partner)}"` : '';
  const head = `<NavigationProperty Name="${xml(navigation.name)}" Type="${xml(navigation.type)}"`;
  if (!navigation.constraint) return `${head}${partner}/>`;
  const { property, referencedProperty } = navigation.constraint;
  return (
    `${head} Nullable="false"${partner}>` +
    `<ReferentialConstraint Property="${xml(property)}" ReferencedProperty="${xml(referencedProperty)}"/>` +
    '</NavigationProperty>'
  );
}

/** Entity-set bindings for every navigation that leads to exactly one table (own and inherited). */
function bindingsOf(
  table: TableModel,
  catalog: TableCatalog,
  navigations: Map<string, CsdlNavigation[]>,
): [string, string][] {
  const base = baseTypeOf(table, catalog);
  const own = navigations.get(table.logicalName) ?? [];
  const inherited = base === ACTIVITY_BASE ? (navigations.get(ACTIVITY_BASE) ?? []) : [];
  const bindings = new Map<string, string>();
  for (const navigation of [...inherited, ...own]) {
    const target = navigation.targetTable ? catalog.table(navigation.targetTable) : undefined;
    if (target && !bindings.has(navigation.name)) bindings.set(navigation.name, target.entitySetName);
  }
  return [...bindings].sort(([a], [b]) => compare(a, b));
}

/**
 * WhoAmI (protocols/dataverse.md §5.3), AddListMembersList, and the bulk actions bound to an entity set
 * (MSDocs bulk-operations.md: `POST [org]/api/data/v9.2/<set>/Microsoft.Dynamics.CRM.CreateMultiple` → `Ids`).
 * Dataverse names the binding parameter of collection-bound actions `entityset`.
 */
const OPERATIONS: readonly string[] = [
  '<ComplexType Name="WhoAmIResponse">',
  '  <Property Name="BusinessUnitId" Type="Edm.Guid" Nullable="false"/>',
  '  <Property Name="UserId" Type="Edm.Guid" Nullable="false"/>',
  '  <Property Name="OrganizationId" Type="Edm.Guid" Nullable="false"/>',
  '</ComplexType>',
  '<ComplexType Name="CreateMultipleResponse">',
  '  <Property Name="Ids" Type="Collection(Edm.Guid)" Nullable="false"/>',
  '</ComplexType>',
  '<ComplexType Name="UpsertMultipleResponse">',
  '  <Property Name="Ids" Type="Collection(Edm.Guid)" Nullable="false"/>',
  '</ComplexType>',
  '<Function Name="WhoAmI">',
  '  <ReturnType Type="mscrm.WhoAmIResponse" Nullable="false"/>',
  '</Function>',
  ...bulkAction('CreateMultiple', 'mscrm.CreateMultipleResponse'),
  ...bulkAction('UpdateMultiple', undefined),
  // "The UpsertMultiple action returns 204 NoContent. The UpsertMultipleResponse complex type is not returned"
  // (webapi/reference/upsertmultiple); the type is declared all the same. Its members are not documented.
  ...bulkAction('UpsertMultiple', 'mscrm.UpsertMultipleResponse'),
  // Unbound, no return value (Web API action reference mt607641).
  '<Action Name="AddListMembersList">',
  '  <Parameter Name="List" Type="mscrm.list" Nullable="false"/>',
  '  <Parameter Name="Members" Type="Collection(mscrm.crmbaseentity)" Nullable="false"/>',
  '</Action>',
];

function bulkAction(name: string, returnType: string | undefined): string[] {
  return [
    `<Action Name="${name}" IsBound="true">`,
    '  <Parameter Name="entityset" Type="Collection(mscrm.crmbaseentity)" Nullable="false"/>',
    '  <Parameter Name="Targets" Type="Collection(mscrm.crmbaseentity)" Nullable="false"/>',
    ...(returnType ? [`  <ReturnType Type="${returnType}" Nullable="false"/>`] : []),
    '</Action>',
  ];
}

/** Ordinal comparison, so the document does not depend on the host's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
