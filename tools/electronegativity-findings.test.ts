import { describe, expect, it } from 'vitest';
import { judge, parseCsv, parseFindings, readJustifications } from './electronegativity-findings.js';

const HEADER = 'issue, severity, confidence, filename, location, sample, description, url';
const report = (...rows: string[]) => [HEADER, ...rows].join('\n');
const row = (check: string, severity: string, file: string, location: string, sample = 'x') =>
  `${check},"${severity}","FIRM","${file}","${location}","${sample}","about ${check}",https://example.invalid/${check}`;

describe('parseCsv', () => {
  it('keeps commas, doubled quotes and newlines inside quoted fields', () => {
    expect(parseCsv('a,"b, c","say ""hi""","two\nlines"\r\nd,e,f,g\n')).toEqual([
      ['a', 'b, c', 'say "hi"', 'two\nlines'],
      ['d', 'e', 'f', 'g'],
    ]);
  });
});

describe('parseFindings', () => {
  it('reads file and line, and a global finding as having neither', () => {
    const findings = parseFindings(
      report(
        row('SANDBOX_JS_CHECK', 'MEDIUM', 'main.ts', '119:17', 'new BrowserWindow({ a, b })'),
        row('CSP_GLOBAL_CHECK', 'MEDIUM', 'N/A', '0:0'),
      ),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        check: 'SANDBOX_JS_CHECK',
        severity: 'MEDIUM',
        file: 'main.ts',
        line: 119,
        sample: 'new BrowserWindow({ a, b })',
      }),
      expect.objectContaining({ check: 'CSP_GLOBAL_CHECK', file: null, line: null }),
    ]);
  });

  it('names the column it cannot find', () => {
    expect(() => parseFindings('issue, severity\nA,HIGH')).toThrow(/no "confidence" column/);
  });
});

describe('judge', () => {
  const source = [
    'const a = 1;',
    '// electronegativity: SANDBOX_JS_CHECK, CONTEXT_ISOLATION_JS_CHECK — the options are spread in from a tested',
    '// constant the scanner cannot see.',
    'const window = new BrowserWindow(options);',
    'shell.openExternal(url); // electronegativity: OPEN_EXTERNAL_JS_CHECK — only http(s) URLs reach this line',
    'const b = 2;',
    'shell.openExternal(other);',
  ].join('\n');
  const sources = new Map([['main.ts', source]]);

  it('passes a finding justified on its line or in the comment block right above it', () => {
    const verdict = judge(
      parseFindings(
        report(
          row('SANDBOX_JS_CHECK', 'MEDIUM', 'main.ts', '4:1'),
          row('CONTEXT_ISOLATION_JS_CHECK', 'HIGH', 'main.ts', '4:1'),
          row('OPEN_EXTERNAL_JS_CHECK', 'MEDIUM', 'main.ts', '5:1'),
        ),
      ),
      sources,
    );
    expect(verdict.blocking).toEqual([]);
    expect(verdict.justified.map(({ finding }) => finding.check)).toEqual([
      'SANDBOX_JS_CHECK',
      'CONTEXT_ISOLATION_JS_CHECK',
      'OPEN_EXTERNAL_JS_CHECK',
    ]);
    expect(verdict.justified[0]!.by.reason).toBe('the options are spread in from a tested constant the scanner cannot see.');
    expect(verdict.invalid).toEqual([]);
  });

  it('blocks the same check on another line, another check on a justified line, and a global finding nobody justified', () => {
    const verdict = judge(
      parseFindings(
        report(
          row('SANDBOX_JS_CHECK', 'MEDIUM', 'main.ts', '4:1'),
          row('CONTEXT_ISOLATION_JS_CHECK', 'HIGH', 'main.ts', '4:1'),
          row('OPEN_EXTERNAL_JS_CHECK', 'MEDIUM', 'main.ts', '5:1'),
          row('OPEN_EXTERNAL_JS_CHECK', 'MEDIUM', 'main.ts', '7:1'),
          row('PRELOAD_JS_CHECK', 'MEDIUM', 'main.ts', '4:1'),
          row('CSP_GLOBAL_CHECK', 'MEDIUM', 'N/A', '0:0'),
        ),
      ),
      sources,
    );
    expect(verdict.blocking.map(({ check, line }) => `${check}@${line}`)).toEqual([
      'OPEN_EXTERNAL_JS_CHECK@7',
      'PRELOAD_JS_CHECK@4',
      'CSP_GLOBAL_CHECK@null',
    ]);
  });

  it('does not let a comment two lines away, with code between, justify a finding', () => {
    const verdict = judge(parseFindings(report(row('OPEN_EXTERNAL_JS_CHECK', 'MEDIUM', 'main.ts', '6:1'))), sources);
    expect(verdict.blocking).toHaveLength(1);
  });

  it('justifies a global finding by a comment anywhere in the scanned files', () => {
    const withCsp = new Map([['other.ts', '// electronegativity: CSP_GLOBAL_CHECK — the policy is a header on every response']]);
    const verdict = judge(parseFindings(report(row('CSP_GLOBAL_CHECK', 'MEDIUM', 'N/A', '0:0'))), withCsp);
    expect(verdict.blocking).toEqual([]);
    expect(verdict.justified).toHaveLength(1);
  });

  it('leaves findings below MEDIUM alone', () => {
    const verdict = judge(parseFindings(report(row('HTTP_RESOURCES_JS_CHECK', 'LOW', 'main.ts', '6:1'))), new Map());
    expect(verdict.blocking).toEqual([]);
    expect(verdict.belowThreshold).toHaveLength(1);
  });

  it('refuses a justification without a real reason, and one no finding needs any more', () => {
    const stale = new Map([['main.ts', '// electronegativity: SANDBOX_JS_CHECK — ok\nconst w = new BrowserWindow(o);']]);
    const short = judge(parseFindings(report(row('SANDBOX_JS_CHECK', 'MEDIUM', 'main.ts', '2:1'))), stale);
    expect(short.blocking).toHaveLength(1);
    expect(short.invalid[0]!.problem).toMatch(/shorter than/);

    const unused = judge(parseFindings(report()), sources);
    expect(unused.invalid.map(({ justification }) => justification.line)).toEqual([2, 5]);
    expect(unused.invalid[0]!.problem).toMatch(/no finding of this run needs it/);
  });

  it('reads the checks and the reason of each justification', () => {
    expect(readJustifications('f.ts', source).map(({ line, checks }) => ({ line, checks }))).toEqual([
      { line: 2, checks: ['SANDBOX_JS_CHECK', 'CONTEXT_ISOLATION_JS_CHECK'] },
      { line: 5, checks: ['OPEN_EXTERNAL_JS_CHECK'] },
    ]);
  });
});
