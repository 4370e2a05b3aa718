/**
 * Takes secrets out of text bound for a diagnostics archive: every value Berth knows to be secret (the
 * browser-mode token, registry passwords, the body lines of its TLS keys), also %-encoded; any PEM
 * private key block; and the value of any JSON field or `key=value` named like a secret.
 */
export const REDACTED = '[redacted]';

export interface Secret {
  label: string;
  value: string;
}

/** Values shorter than this are not replaced: "1" or "true" would blank half the archive. */
const MIN_SECRET_CHARS = 8;
const PEM_PRIVATE_KEY = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g;
const SECRET_NAME = '(?:pass(?:word)?|secret|token|credential|auth|identitytoken|private[_-]?key)';
const JSON_SECRET_FIELD = new RegExp(`("[^"]*${SECRET_NAME}[^"]*"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const ASSIGNED_SECRET = new RegExp(`\\b(\\w*${SECRET_NAME}\\w*=)[^\\s&"']+`, 'gi');

/** The secrets a PEM key stands for: each base64 body line (a key printed without its armour still shows them). */
export function pemSecrets(label: string, pem: string): Secret[] {
  return pem
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith('-----'))
    .map((value) => ({ label, value }));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function redact(text: string, secrets: readonly Secret[]): string {
  let out = text.replace(PEM_PRIVATE_KEY, `${REDACTED} (a private key)`);
  out = out.replace(JSON_SECRET_FIELD, `$1"${REDACTED}"`).replace(ASSIGNED_SECRET, `$1${REDACTED}`);
  // Longest first, so a secret that contains another is replaced whole.
  const values = [...new Set(secrets.flatMap((secret) => [secret.value, encodeURIComponent(secret.value)]))]
    .filter((value) => value.length >= MIN_SECRET_CHARS)
    .sort((a, b) => b.length - a.length);
  for (const value of values) out = out.replace(new RegExp(escapeRegExp(value), 'g'), REDACTED);
  return out;
}
