/**
 * Scans logs for secrets (tools/log-secrets.ts) and fails when it finds one.
 *   npx tsx tools/scan-logs-for-secrets.ts [--secret-env NAME]... [--key-file PEM]... PATH...
 * --secret-env NAME: a secret in the environment variable NAME (values never go on a command line,
 *   which other users can read); a Berth link in it (…/#token=…) stands for its token.
 * --key-file PEM: a private key whose body must appear nowhere.
 * PATH: a log file, or a folder whose .log and .txt files are scanned. Any PEM private key block in
 * them is a finding whatever it holds.
 */
import { readFileSync } from 'node:fs';
import { describeHits, keyFileSecrets, logFilesUnder, scanFilesForSecrets, type KnownSecret } from './log-secrets.js';

const secrets: KnownSecret[] = [];
const paths: string[] = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i]!;
  if (arg === '--secret-env') {
    const name = args[++i] ?? '';
    const value = process.env[name];
    if (!value) {
      console.error(`--secret-env ${name}: that environment variable is not set.`);
      process.exit(2);
    }
    const token = /#token=([^&\s]+)/.exec(value)?.[1];
    secrets.push({ label: token ? `the token in ${name}` : `the secret in ${name}`, value: token ?? value });
  } else if (arg === '--key-file') {
    const file = args[++i] ?? '';
    secrets.push(...keyFileSecrets(`the private key ${file}`, readFileSync(file, 'utf8')));
  } else paths.push(arg);
}

const files = logFilesUnder(paths);
if (files.length === 0) {
  console.error(`No log files at ${paths.join(', ') || '(no paths given)'}: nothing was scanned.`);
  process.exit(2);
}
const hits = scanFilesForSecrets(files, secrets);
if (hits.length > 0) {
  console.error(`Secrets found in the logs:\n${describeHits(hits)}`);
  process.exit(1);
}
console.log(`No secrets in ${files.length} log files (${secrets.length} known secrets, and any PEM private key).`);
