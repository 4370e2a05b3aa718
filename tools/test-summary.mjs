// Adds up the vitest and Playwright JSON reports into one closing line: "N passed, N failed, N skipped".
// A failed static check counts as a failure too, so the line never says 0 failed over a red run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [reports, stepStatus] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

for (const name of ['unit', 'integration', 'vm']) {
  const file = join(reports, `${name}.json`);
  if (!existsSync(file)) {
    missing.push(name);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
const e2eFile = join(reports, 'e2e.json');
if (existsSync(e2eFile)) {
  const { stats } = JSON.parse(readFileSync(e2eFile, 'utf8'));
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  skipped += stats.skipped;
} else missing.push('e2e');

if (missing.length > 0) console.log(`No report from: ${missing.join(', ')} (the runner did not finish).`);
const otherFailures = stepStatus !== '0' && failed === 0 ? 1 : 0;
if (otherFailures) console.log('A check other than a test failed (typecheck, lint, format, the soak or a runner); see above.');
console.log(`${passed} passed, ${failed + otherFailures + missing.length} failed, ${skipped} skipped`);
process.exit(failed + otherFailures + missing.length > 0 ? 1 : 0);
