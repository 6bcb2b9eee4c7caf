import { deterministicGuid } from '../../shared/ids.js';
import { seededRandom } from '../../shared/seeded-random.js';
import type { Caller, DataverseEnvironment } from './environment.js';
import { parsePreferences } from './protocol/prefer-header.js';
import { toDataverseInstant } from './records/attribute-values.js';
import { createRecord } from './records/record-writer.js';

const seededGuid = (seed: number, name: string) => deterministicGuid('dataverse', seed, name);

/** A person or application the seed turns into a systemuser. */
export interface SeedPrincipal {
  readonly systemUserId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly applicationId?: string;
  readonly entraObjectId?: string;
  readonly position?: string;
}

const FIRST = [
  'Ana',
  'Ben',
  'Chloé',
  'David',
  'Elif',
  'Farid',
  'Greta',
  'Hiro',
  'Ines',
  'Jonas',
  'Kofi',
  'Lena',
  'Mateo',
  'Nora',
  'Omar',
  'Priya',
];
const LAST = [
  'Ortiz',
  'Müller',
  "O'Brien",
  'Nakamura',
  'Schmidt',
  'Kowalski',
  'Dubois',
  'Rossi',
  'Haddad',
  'Jensen',
  'Silva',
  'Novak',
];
const COMPANIES = [
  'Contoso',
  'Fabrikam',
  'Northwind',
  'Adventure Works',
  'Tailspin',
  'Litware',
  'Proseware',
  'Wingtip',
  'Woodgrove',
  'Lamna',
];
const SUFFIX = ['Ltd', 'GmbH', 'Inc.', 'AG', 'BV', 'SA'];
const TITLES = ['Head of Sales', 'CTO', 'Marketing Manager', 'Buyer', 'CEO', 'Operations Lead'];
const STAGES = [
  { stepname: '1-Qualify', salesstage: 0, closeprobability: 10 },
  { stepname: '2-Develop', salesstage: 1, closeprobability: 40 },
  { stepname: '3-Propose', salesstage: 2, closeprobability: 70 },
  { stepname: '4-Close', salesstage: 3, closeprobability: 90 },
];

export interface SeedOptions {
  readonly seed: number;
  readonly principals: readonly SeedPrincipal[];
  readonly accounts?: number;
  readonly contacts?: number;
  readonly leads?: number;
  readonly opportunities?: number;
}

/**
 * Fills an empty environment: root business unit, base currency, users with positions, a campaign,
 * accounts, contacts, leads and opportunities at every stage. Rows go through the same write path as
 * API requests, so they carry the same system columns.
 */
export function seedEnvironment(env: DataverseEnvironment, options: SeedOptions): void {
  const { seed } = options;
  if (env.store.count('systemuser') > 0) return; // keep state restored from --data
  const rng = seededRandom(seed);
  const random = () => rng.random();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const org = env.organization;
  const admin = options.principals[0];
  if (!admin) throw new Error('seedEnvironment needs at least one principal');
  const caller: Caller = { systemUserId: admin.systemUserId, businessUnitId: org.businessUnitId };
  const bind = (set: string, id: string) => `/${set}(${id})`;

  env.store.transaction((tx) => {
    const ctx = {
      env,
      tx,
      caller,
      now: env.now(),
      serviceRoot: 'https://localhost/api/data/v9.2/',
      preferences: parsePreferences(undefined),
      contentIds: new Map(),
      detectDuplicates: false,
    };
    // The root rows reference the first user, who references them back: write them directly.
    tx.put('businessunit', org.businessUnitId, {
      businessunitid: org.businessUnitId,
      name: org.name,
      versionnumber: tx.version(),
      createdon: toDataverseInstant(ctx.now),
      modifiedon: toDataverseInstant(ctx.now),
    });
    createRecord(ctx, env.catalog.require('transactioncurrency'), {
      transactioncurrencyid: org.baseCurrencyId,
      currencyname: 'US Dollar',
      isocurrencycode: 'USD',
      currencysymbol: '$',
      exchangerate: 1,
      currencyprecision: 2,
    });
    const positions = new Map<string, string>();
    for (const name of ['Sales Representative', 'Sales Manager', 'Marketing Specialist', 'Integration']) {
      const id = seededGuid(seed, `position:${name}`);
      positions.set(name, id);
      createRecord(ctx, env.catalog.require('position'), { positionid: id, name });
    }
    const users = env.catalog.require('systemuser');
    for (const p of options.principals) {
      const body: Record<string, unknown> = {
        systemuserid: p.systemUserId,
        firstname: p.firstName,
        lastname: p.lastName,
        internalemailaddress: p.email,
        domainname: p.email,
        'businessunitid@odata.bind': bind('businessunits', org.businessUnitId),
        isdisabled: false,
      };
      if (p.applicationId) {
        body['applicationid'] = p.applicationId;
        body['accessmode'] = 4; // Non-interactive: application users
      }
      const positionId = p.position ? positions.get(p.position) : undefined;
      if (positionId) body['positionid@odata.bind'] = bind('positions', positionId);
      const created = createRecord(ctx, users, body);
      // Dataverse fills the Entra object id itself when it syncs users from the directory (read-only in the API).
      const row = tx.get('systemuser', created.id);
      if (p.entraObjectId && row)
        tx.put('systemuser', created.id, { ...row, azureactivedirectoryobjectid: p.entraObjectId });
    }
    const people = options.principals.filter((p) => !p.applicationId);
    const owners = people.length > 0 ? people : options.principals;
    const owner = () => bind('systemusers', pick(owners).systemUserId);

    const campaignId = seededGuid(seed, 'campaign:0');
    createRecord(ctx, env.catalog.require('campaign'), {
      campaignid: campaignId,
      name: 'Spring Trade Show',
      'ownerid@odata.bind': owner(),
    });

    const accountIds: string[] = [];
    for (let i = 0; i < (options.accounts ?? 20); i++) {
      const id = seededGuid(seed, `account:${i}`);
      const name = `${COMPANIES[i % COMPANIES.length]} ${SUFFIX[Math.floor(i / COMPANIES.length) % SUFFIX.length]}`;
      accountIds.push(id);
      createRecord(ctx, env.catalog.require('account'), {
        accountid: id,
        name,
        emailaddress1: `info@${name.split(' ')[0]?.toLowerCase()}${i}.example.com`,
        telephone1: `+44 20 7946 ${String(1000 + i).slice(-4)}`,
        address1_city: pick(['London', 'Berlin', 'Paris', 'Madrid', 'Oslo']),
        revenue: Math.round(random() * 50_000_000),
        numberofemployees: 10 + Math.floor(random() * 5000),
        'ownerid@odata.bind': owner(),
      });
    }
    const contactEmails: string[] = [];
    for (let i = 0; i < (options.contacts ?? 50); i++) {
      const first = pick(FIRST);
      const last = pick(LAST);
      const accountId = accountIds[i % accountIds.length] ?? '';
      const email = `${first}.${last}.${i}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, '');
      contactEmails.push(email);
      createRecord(ctx, env.catalog.require('contact'), {
        contactid: seededGuid(seed, `contact:${i}`),
        firstname: first,
        lastname: last,
        emailaddress1: email,
        jobtitle: pick(TITLES),
        telephone1: `+49 30 ${String(1000000 + i)}`,
        'parentcustomerid_account@odata.bind': bind('accounts', accountId),
        'ownerid@odata.bind': owner(),
      });
    }
    const leadSources = env.catalog.require('lead').attributes.get('leadsourcecode')?.options ?? [];
    for (let i = 0; i < (options.leads ?? 100); i++) {
      const first = pick(FIRST);
      const last = pick(LAST);
      // Every tenth lead shares its email with a contact: realistic duplicates for the sync to find.
      const email =
        i % 10 === 0 && contactEmails.length > 0
          ? (contactEmails[i % contactEmails.length] ?? '')
          : `${first}.${last}.lead${i}@example.org`.toLowerCase().replace(/[^a-z0-9.@]/g, '');
      const body: Record<string, unknown> = {
        leadid: seededGuid(seed, `lead:${i}`),
        firstname: first,
        lastname: last,
        subject: `Interest from ${first} ${last}`,
        companyname: pick(COMPANIES),
        emailaddress1: email,
        jobtitle: pick(TITLES),
        leadsourcecode: pick(leadSources).value,
        leadqualitycode: 1 + Math.floor(random() * 3),
        'ownerid@odata.bind': owner(),
      };
      if (i % 4 === 0) body['campaignid@odata.bind'] = bind('campaigns', campaignId);
      createRecord(ctx, env.catalog.require('lead'), body);
    }
    for (let i = 0; i < (options.opportunities ?? 15); i++) {
      const stage = STAGES[i % STAGES.length] ?? STAGES[0];
      const accountId = accountIds[i % accountIds.length] ?? '';
      const won = i % 7 === 6;
      createRecord(ctx, env.catalog.require('opportunity'), {
        opportunityid: seededGuid(seed, `opportunity:${i}`),
        name: `${pick(COMPANIES)} expansion ${i + 1}`,
        ...stage,
        estimatedvalue: Math.round(random() * 200_000),
        estimatedclosedate: new Date(Date.UTC(2027, i % 12, 1 + (i % 27))).toISOString().slice(0, 10),
        'customerid_account@odata.bind': bind('accounts', accountId),
        'parentaccountid@odata.bind': bind('accounts', accountId),
        'ownerid@odata.bind': owner(),
        ...(won ? { statecode: 1, statuscode: 3 } : {}),
      });
    }
  });
}
