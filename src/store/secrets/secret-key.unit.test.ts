import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LeadbridgeError } from '../../shared/index.js';
import { SecretKey, sealedKeyId } from './secret-key.js';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof LeadbridgeError ? error.code : `not a LeadbridgeError: ${String(error)}`;
  }
};

describe('SecretKey', () => {
  it('seals with a fresh IV each time and opens what it sealed', () => {
    const key = SecretKey.generate();
    const first = key.seal('client-secret', 'ctx');
    const second = key.seal('client-secret', 'ctx');
    expect(first).not.toBe(second);
    expect(first).not.toContain('client-secret');
    expect(sealedKeyId(first)).toBe(key.id);
    expect(key.open(first, 'ctx')).toBe('client-secret');
    expect(key.open(key.seal('', 'ctx'), 'ctx')).toBe('');
    expect(key.open(key.seal('ünïcødé ✓', 'ctx'), 'ctx')).toBe('ünïcødé ✓');
  });

  it('derives a stable id from the key material, and reads standard or URL-safe base64', () => {
    const material = randomBytes(32);
    const a = SecretKey.fromBase64(material.toString('base64'));
    const b = SecretKey.fromBase64(` ${material.toString('base64url')}\n`);
    expect(a.id).toMatch(/^[0-9a-f]{16}$/);
    expect(b.id).toBe(a.id);
    expect(a.toBase64()).toBe(material.toString('base64'));
    expect(b.open(a.seal('x', 'c'), 'c')).toBe('x');
  });

  it('refuses keys that are not 32 bytes of base64', () => {
    for (const text of [
      '',
      'short',
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('base64'),
      '!'.repeat(44),
    ])
      expect(
        codeOf(() => SecretKey.fromBase64(text)),
        text,
      ).toBe('secret_key_invalid');
  });

  it('answers a wrong key, another context, tampering or garbage with secret_key_invalid', () => {
    const key = SecretKey.generate();
    const sealed = key.seal('secret', 'crm_connections.credentials:1');
    expect(codeOf(() => SecretKey.generate().open(sealed, 'crm_connections.credentials:1'))).toBe(
      'secret_key_invalid',
    );
    expect(codeOf(() => key.open(sealed, 'crm_connections.credentials:2'))).toBe('secret_key_invalid');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString('base64url');
    expect(codeOf(() => key.open(parts.join('.'), 'crm_connections.credentials:1'))).toBe(
      'secret_key_invalid',
    );
    expect(codeOf(() => key.open('plaintext', 'ctx'))).toBe('secret_key_invalid');
    expect(codeOf(() => key.open(`lbs1.${key.id}.AA.AA.AA`, 'ctx'))).toBe('secret_key_invalid');
  });

  it('never shows its material in strings, JSON or inspection', () => {
    const key = SecretKey.generate();
    const material = key.toBase64();
    for (const shown of [
      String(key),
      `${key}`,
      JSON.stringify({ key }),
      inspect(key),
      inspect({ nested: { key } }),
    ]) {
      expect(shown).not.toContain(material);
      expect(shown).toContain(key.id);
    }
  });
});
