import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Reads a UTF-8 file, or returns undefined when it does not exist (any other error propagates). */
export async function readOptionalFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isNodeError(error) && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes through a temporary file and a rename so a crash mid-write never leaves a truncated key or
 * certificate behind (the next start would otherwise fail to parse it). Private keys get mode 0600.
 */
export async function writeFileAtomically(
  dir: string,
  name: string,
  contents: string,
  options: { readonly private: boolean },
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const target = join(dir, name);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, contents, { encoding: 'utf8', mode: options.private ? 0o600 : 0o644 });
  await rename(temporary, target);
  return target;
}

/** PEM blocks must end with a newline before another is appended (OpenSSL: "bad end line"). */
export function ensureTrailingNewline(pem: string): string {
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
