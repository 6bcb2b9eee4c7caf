import { describe, expect, it } from 'vitest';
import { buildCsdl } from './csdl-document.js';
import { TableCatalog } from './table-catalog.js';
import { xml } from './xml-escape.js';

const catalog = TableCatalog.fromReference();
const csdl = buildCsdl(catalog);

interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
}

/** A small well-formedness check: one root, matched tags, quoted attributes, only the five predefined entities. */
function parseXml(text: string): XmlElement {
  const body = text.replace(/^<\?xml [^?]*\?>\s*/, '');
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const text = body.slice(i, lt < 0 ? body.length : lt);
    if (text.trim() !== '') throw new Error(`text outside elements at ${i}: ${text.slice(0, 40)}`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(body);
    if (!m) throw new Error(`malformed tag at ${lt}: ${body.slice(lt, lt + 80)}`);
    const [, closing, name = '', rawAttributes = '', selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
    } else {
      const attributes: Record<string, string> = {};
      for (const [, key = '', value = ''] of rawAttributes.matchAll(/([A-Za-z_][\w.:-]*)="([^"]*)"/g)) {
        if (key in attributes) throw new Error(`duplicate attribute ${key} on <${name}>`);
        if (/&(?!(amp|lt|gt|quot|apos);)/.test(value)) throw new Error(`bad entity in ${key}="${value}"`);
        attributes[key] = value;
      }
      const element: XmlElement = { name, attributes, children: [] };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) throw new Error('second root element');
      else root = element;
      if (!selfClosing) stack.push(element);
    }
    i = tag.lastIndex;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

const root = parseXml(csdl);
const schema = root.children[0]?.children[0];
const entityTypes = new Map(
  (schema?.children ?? []).filter((e) => e.name === 'EntityType').map((e) => [e.attributes['Name'], e]),
);

describe('buildCsdl', () => {
  it('is a well-formed edmx document with the Dataverse schema', () => {
    expect(csdl.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true);
    expect(root.name).toBe('edmx:Edmx');
    expect(root.attributes).toEqual({
      Version: '4.0',
      'xmlns:edmx': 'http://docs.oasis-open.org/odata/ns/edmx',
    });
    expect(root.children[0]?.name).toBe('edmx:DataServices');
    expect(schema?.attributes).toEqual({
      Namespace: 'Microsoft.Dynamics.CRM',
      Alias: 'mscrm',
      xmlns: 'http://docs.oasis-open.org/odata/ns/edm',
    });
  });

  it('declares every table as an entity type with its key, properties and navigation properties', () => {
    expect(csdl).toContain('<EntityType Name="crmbaseentity" Abstract="true"/>');
    expect(csdl).toContain('<EntityType Name="lead" BaseType="mscrm.crmbaseentity">');
    expect(csdl).toContain('<Key><PropertyRef Name="leadid"/></Key>');
    expect(csdl).toContain('<Property Name="subject" Type="Edm.String" MaxLength="300"/>');
    expect(csdl).toContain('<Property Name="leadsourcecode" Type="Edm.Int32"/>');
    expect(csdl).toContain('<Property Name="revenue" Type="Edm.Decimal" Scale="Variable"/>');
    expect(csdl).toContain('<Property Name="versionnumber" Type="Edm.Int64"/>');
    expect(csdl).toContain('<Property Name="donotemail" Type="Edm.Boolean"/>');
    expect(csdl).toContain('<Property Name="createdon" Type="Edm.DateTimeOffset"/>');
    expect(csdl).toContain('<Property Name="_parentaccountid_value" Type="Edm.Guid"/>');
    expect(csdl).toContain(
      '<NavigationProperty Name="parentaccountid" Type="mscrm.account" Nullable="false" Partner="lead_parent_account">' +
        '<ReferentialConstraint Property="_parentaccountid_value" ReferencedProperty="accountid"/></NavigationProperty>',
    );
    expect(csdl).toContain(
      '<NavigationProperty Name="Lead_Tasks" Type="Collection(mscrm.task)" Partner="regardingobjectid_lead_task"/>',
    );
    expect(csdl).toContain('<ReferentialConstraint Property="_ownerid_value" ReferencedProperty="ownerid"/>');
    expect(csdl).toContain('Name="ownerid" Type="mscrm.principal"');
  });

  it('surfaces lookups only as _x_value and leaves out the columns that merely describe a lookup', () => {
    const lead = entityTypes.get('lead');
    const names = new Set(lead?.children.map((c) => c.attributes['Name']));
    expect(names.has('_parentaccountid_value')).toBe(true);
    expect(names.has('owneridname')).toBe(false);
    expect(names.has('owneridtype')).toBe(false);
    expect(names.has('customeridyominame')).toBe(false);
    expect(
      entityTypes.get('annotation')?.children.some((c) => c.attributes['Name'] === 'objecttypecode'),
    ).toBe(true);
  });

  it('derives systemuser and team from principal and activities from activitypointer', () => {
    expect(csdl).toContain('<EntityType Name="principal" BaseType="mscrm.crmbaseentity" Abstract="true">');
    expect(csdl).toContain('<EntityType Name="systemuser" BaseType="mscrm.principal">');
    expect(csdl).toContain('<EntityType Name="team" BaseType="mscrm.principal">');
    expect(csdl).toContain('<EntityType Name="task" BaseType="mscrm.activitypointer">');
    expect(csdl).toContain('<EntityType Name="activitypointer" BaseType="mscrm.crmbaseentity">');
    expect(entityTypes.get('activitypointer')?.children[0]).toEqual({
      name: 'Key',
      attributes: {},
      children: [{ name: 'PropertyRef', attributes: { Name: 'activityid' }, children: [] }],
    });
    const task = entityTypes.get('task');
    expect(task?.children.some((c) => c.name === 'Key')).toBe(false);
    expect(task?.children.some((c) => c.attributes['Name'] === 'subject')).toBe(false); // inherited
    expect(entityTypes.get('systemuser')?.children.some((c) => c.name === 'Key')).toBe(false);
  });

  it('never declares a member name twice on a type, counting what it inherits', () => {
    const membersOf = (type: XmlElement | undefined): string[] =>
      (type?.children ?? []).filter((c) => c.name !== 'Key').map((c) => c.attributes['Name'] ?? '');
    for (const [name, type] of entityTypes) {
      const base = type.attributes['BaseType']?.replace('mscrm.', '');
      const all = [...membersOf(type), ...(base ? membersOf(entityTypes.get(base)) : [])];
      expect(new Set(all).size, name).toBe(all.length);
    }
  });

  it('makes every Partner point back', () => {
    for (const [name, type] of entityTypes)
      for (const nav of type.children.filter(
        (c) => c.name === 'NavigationProperty' && c.attributes['Partner'],
      )) {
        const target = /^(?:Collection\()?mscrm\.(\w+)\)?$/.exec(nav.attributes['Type'] ?? '')?.[1] ?? '';
        const back = entityTypes
          .get(target)
          ?.children.find((c) => c.attributes['Name'] === nav.attributes['Partner']);
        expect(back?.attributes['Partner'], `${name}.${nav.attributes['Name']}`).toBe(nav.attributes['Name']);
      }
  });

  it('has the System container, WhoAmI and the bulk actions', () => {
    expect(csdl).toContain('<EntityContainer Name="System">');
    expect(csdl).toContain('<EntitySet Name="leads" EntityType="Microsoft.Dynamics.CRM.lead">');
    expect(csdl).toContain('<NavigationPropertyBinding Path="parentaccountid" Target="accounts"/>');
    expect(csdl).toContain('<FunctionImport Name="WhoAmI" Function="Microsoft.Dynamics.CRM.WhoAmI"');
    expect(csdl).toContain('<ComplexType Name="WhoAmIResponse">');
    expect(csdl).toContain('<Property Name="UserId" Type="Edm.Guid" Nullable="false"/>');
    expect(csdl).toContain(
      '<Function Name="WhoAmI">\n  <ReturnType Type="mscrm.WhoAmIResponse" Nullable="false"/>',
    );
    expect(csdl).toContain(
      [
        '<Action Name="CreateMultiple" IsBound="true">',
        '  <Parameter Name="entityset" Type="Collection(mscrm.crmbaseentity)" Nullable="false"/>',
        '  <Parameter Name="Targets" Type="Collection(mscrm.crmbaseentity)" Nullable="false"/>',
        '  <ReturnType Type="mscrm.CreateMultipleResponse" Nullable="false"/>',
        '</Action>',
      ].join('\n'),
    );
    expect(csdl).toContain('<Property Name="Ids" Type="Collection(Edm.Guid)" Nullable="false"/>');
    expect(csdl).toContain('<Action Name="UpdateMultiple" IsBound="true">');
    expect(csdl).toContain('<Action Name="UpsertMultiple" IsBound="true">');
    expect(csdl).toContain(
      [
        '<Action Name="AddListMembersList">',
        '  <Parameter Name="List" Type="mscrm.list" Nullable="false"/>',
        '  <Parameter Name="Members" Type="Collection(mscrm.crmbaseentity)" Nullable="false"/>',
        '</Action>',
      ].join('\n'),
    );
    expect(csdl).toContain(
      '<ActionImport Name="AddListMembersList" Action="Microsoft.Dynamics.CRM.AddListMembersList"/>',
    );
    const sets = schema?.children
      .find((c) => c.name === 'EntityContainer')
      ?.children.filter((c) => c.name === 'EntitySet');
    expect(sets?.length).toBe(catalog.tables.length);
  });

  it('is deterministic and built once per catalog', () => {
    const other = TableCatalog.fromReference();
    const started = performance.now();
    const again = buildCsdl(other);
    const firstBuild = performance.now() - started;
    expect(again).toBe(csdl);
    const cachedStart = performance.now();
    expect(buildCsdl(other)).toBe(again);
    expect(performance.now() - cachedStart).toBeLessThan(Math.max(1, firstBuild));
  });

  it('escapes XML special characters', () => {
    expect(xml(`a&b<c>"d"'e'`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;');
    expect(() => parseXml(`<a b="${xml('x & "y" <z>')}"/>`)).not.toThrow();
    expect(() => parseXml('<a b="x & y"/>')).toThrow();
    expect(() => parseXml('<a><b></a></b>')).toThrow();
  });
});
