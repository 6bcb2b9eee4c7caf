import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { buildLeadbridge, type Leadbridge } from '../app/index.js';
import { roleSchema } from '../contracts/roles.js';
import { loadConfig } from '../config/index.js';
import { LeadbridgeError } from '../shared/errors.js';
import {
  createDatabase,
  loadSecretKey,
  migrateToLatest,
  rotateSecrets,
  SecretKey,
  writeSecretKeyFile,
} from '../store/index.js';

/** Commands that manage the store and its users without starting the server. */

function configFrom(data: string | undefined) {
  return loadConfig(process.env, { dataDir: data });
}

async function withLeadbridge<T>(
  data: string | undefined,
  work: (leadbridge: Leadbridge) => Promise<T>,
): Promise<T> {
  const leadbridge = await buildLeadbridge({ config: configFrom(data) });
  try {
    return await work(leadbridge);
  } finally {
    await leadbridge.close();
  }
}

/** `leadbridge migrate [--data DIR]` */
export async function runMigrateCommand(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], strict: true, options: { data: { type: 'string' } } });
  const config = configFrom(values.data);
  const store = await createDatabase({
    dataDir: resolve(config.dataDir),
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
  });
  try {
    const report = await migrateToLatest(store);
    process.stdout.write(
      report.applied.length
        ? `Applied ${report.applied.join(', ')} (${store.dialect}).\n`
        : `Already up to date (${store.dialect}).\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

/** `leadbridge secrets rotate [--data DIR]`: a new key, every secret re-encrypted, the key file replaced. */
export async function runSecretsCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'rotate')
    throw new LeadbridgeError('invalid_arguments', 'Use: leadbridge secrets rotate [--data DIR]');
  const { values } = parseArgs({ args: rest, strict: true, options: { data: { type: 'string' } } });
  const config = configFrom(values.data);
  const dataDir = resolve(config.dataDir);
  const store = await createDatabase({
    dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
  });
  try {
    await migrateToLatest(store);
    const current = loadSecretKey({ dataDir, ...(config.secretKey ? { secretKey: config.secretKey } : {}) });
    const next = SecretKey.generate();
    const report = await rotateSecrets(store, current.key, next);
    if (current.source === 'configuration') {
      // The key lives in the operator's configuration: show the new one once, to put there.
      process.stdout.write(
        `Re-encrypted ${report.resealed} secrets. Set LEADBRIDGE_SECRET_KEY to:\n${next.toBase64()}\n`,
      );
    } else {
      const path = writeSecretKeyFile(dataDir, next);
      process.stdout.write(`Re-encrypted ${report.resealed} secrets under key ${next.id}; wrote ${path}.\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

const userArgs = z.object({
  email: z.email('--email must be an email address'),
  name: z.string().min(1, '--name is required'),
  role: roleSchema,
  password: z.string().min(12, '--password needs at least 12 characters').optional(),
});

/** `leadbridge user create --admin|--role R --email E --name N [--password P] [--data DIR]` */
export async function runUserCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create')
    throw new LeadbridgeError('invalid_arguments', 'Use: leadbridge user create --admin --email E --name N');
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      admin: { type: 'boolean' },
      role: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      data: { type: 'string' },
    },
  });
  const parsed = userArgs.safeParse({
    ...values,
    role: values.admin ? 'admin' : (values.role ?? 'salesperson'),
  });
  if (!parsed.success)
    throw new LeadbridgeError('invalid_arguments', parsed.error.issues.map((i) => i.message).join('; '));
  const password = parsed.data.password ?? randomBytes(12).toString('base64url');
  return withLeadbridge(values.data, async (leadbridge) => {
    const user = await leadbridge.accounts.createUser({
      ...parsed.data,
      displayName: parsed.data.name,
      password,
    });
    process.stdout.write(
      `Created ${user.role} ${user.email}${parsed.data.password ? '' : ` with password ${password}`}\n`,
    );
    return 0;
  });
}

/** `leadbridge token create --role R [--name N] [--data DIR]`: prints an API token once. */
export async function runTokenCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create')
    throw new LeadbridgeError('invalid_arguments', 'Use: leadbridge token create --role admin');
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, data: { type: 'string' } },
  });
  const role = roleSchema.safeParse(values.role);
  if (!role.success)
    throw new LeadbridgeError('invalid_arguments', `--role must be one of ${roleSchema.options.join(', ')}.`);
  return withLeadbridge(values.data, async (leadbridge) => {
    process.stdout.write(`${await leadbridge.accounts.createApiToken(values.name ?? 'cli', role.data)}\n`);
    return 0;
  });
}
