/**
 * Finds secrets in logs: the values a run knows (the browser-mode token, registry passwords, the
 * body of a TLS key file), and any PEM private key block whatever it holds. A hit names the file,
 * the line and what leaked, and shows the secret only masked, so the report does not leak it again.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface KnownSecret {
  /** What it is, for the report: "the browser-mode token". */
  label: string;
  value: string;
}

export interface SecretHit {
  file: string;
  line: number;
  label: string;
  /** The secret's first and last characters, the rest starred. */
  masked: string;
}

/** Values shorter than this match too much by chance ("a", "1234") to mean a leak. */
export const MIN_SECRET_LENGTH = 8;
const PRIVATE_KEY_BLOCK = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

export function mask(value: string): string {
  return value.length <= 4 ? '*'.repeat(value.length) : `${value.slice(0, 2)}${'*'.repeat(value.length - 4)}${value.slice(-2)}`;
}

/**
 * The secrets a PEM key file stands for: each line of its base64 body long enough to be unique (a
 * key printed without its BEGIN/END lines, or cut, still shows whole body lines).
 */
export function keyFileSecrets(label: string, pem: string): KnownSecret[] {
  return pem
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= 32 && !line.startsWith('-----'))
    .map((value) => ({ label, value }));
}

export function findSecrets(file: string, text: string, secrets: readonly KnownSecret[]): SecretHit[] {
  const usable = secrets.filter((secret) => secret.value.length >= MIN_SECRET_LENGTH);
  const hits: SecretHit[] = [];
  text.split('\n').forEach((line, index) => {
    const block = PRIVATE_KEY_BLOCK.exec(line);
    if (block) hits.push({ file, line: index + 1, label: 'a PEM private key', masked: block[0] });
    for (const secret of usable) {
      // Also as a URL component: a token or password in a logged URL or form body is %-encoded.
      const forms = new Set([secret.value, encodeURIComponent(secret.value)]);
      if ([...forms].some((form) => line.includes(form))) {
        hits.push({ file, line: index + 1, label: secret.label, masked: mask(secret.value) });
      }
    }
  });
  return hits;
}

/**
 * The files to scan: files as given; of a folder, the .log and .txt files directly in it (not below:
 * under an engine's folder lie its data root and its containers' own logs); missing paths skipped.
 */
export function logFilesUnder(
  paths: readonly string[],
  isLog: (name: string) => boolean = (name) => /\.(log|txt)$/.test(name),
): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      continue;
    }
    if (stats.isFile()) files.push(path);
    else if (stats.isDirectory()) {
      for (const name of readdirSync(path, { encoding: 'utf8' })) {
        const full = join(path, name);
        if (isLog(name) && statSync(full, { throwIfNoEntry: false })?.isFile()) files.push(full);
      }
    }
  }
  return files;
}

export function scanFilesForSecrets(files: readonly string[], secrets: readonly KnownSecret[]): SecretHit[] {
  return files.flatMap((file) => findSecrets(file, readFileSync(file, 'utf8'), secrets));
}

export function describeHits(hits: readonly SecretHit[]): string {
  return hits.map((hit) => `${hit.file}:${hit.line}: ${hit.label} (${hit.masked})`).join('\n');
}
