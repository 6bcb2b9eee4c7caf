import { LeadbridgeError } from '../shared/errors.js';
import { configSchema, ENVIRONMENT_VARIABLES, SECRET_PATHS, type LeadbridgeConfig } from './config-schema.js';

type Tree = { [key: string]: Tree | string | undefined };

function setPath(tree: Tree, path: string, value: string): void {
  const parts = path.split('.');
  let node = tree;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next === 'object' && next !== null) node = next;
    else {
      const created: Tree = {};
      node[part] = created;
      node = created;
    }
  }
  node[parts[parts.length - 1] ?? ''] = value;
}

/**
 * Parses configuration once, at start-up: environment first, then flags given as setting paths
 * (`{ 'emulators.dataverse.port': '9000' }`). Fails with every problem listed, not just the first.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  flags: Readonly<Record<string, string | undefined>> = {},
): LeadbridgeConfig {
  const raw: Tree = {};
  for (const [variable, path] of Object.entries(ENVIRONMENT_VARIABLES)) {
    const value = env[variable];
    if (value !== undefined && value !== '') setPath(raw, path, value);
  }
  for (const [path, value] of Object.entries(flags)) if (value !== undefined) setPath(raw, path, value);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new LeadbridgeError('invalid_config', `\n${problems.join('\n')}`);
  }
  return parsed.data;
}

/** The resolved configuration as text, with secrets masked. */
export function printableConfig(config: LeadbridgeConfig): string {
  const masked = JSON.parse(JSON.stringify(config)) as Tree;
  for (const path of SECRET_PATHS) {
    const parts = path.split('.');
    let node: Tree | string | undefined = masked;
    for (const part of parts.slice(0, -1)) node = typeof node === 'object' ? node[part] : undefined;
    const last = parts[parts.length - 1] ?? '';
    // A URL keeps its shape with only the password hidden; anything else is hidden whole.
    if (typeof node === 'object' && typeof node[last] === 'string') node[last] = maskSecret(node[last]);
  }
  return JSON.stringify(masked, null, 2);
}

function maskSecret(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '********';
    return url.protocol.startsWith('postgres') ? url.toString() : '********';
  } catch {
    return '********';
  }
}
