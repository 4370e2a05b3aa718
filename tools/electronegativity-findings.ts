/**
 * Electronegativity's findings, read from its CSV report, against the justifications written in the
 * code. A finding of severity MEDIUM or higher fails the check unless a comment of the form
 *
 *   // electronegativity: CHECK_ID[, CHECK_ID…] — why this is fine
 *
 * sits on the finding's line or in the comment lines right above it. A global finding (one with no
 * file, such as CSP_GLOBAL_CHECK) is justified by such a comment anywhere in the scanned files. The
 * reason must say something (at least MIN_REASON_LENGTH characters), and a justification that no
 * finding uses any more fails too, so none outlives the code it excused.
 */
export type Severity = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';

export interface Finding {
  check: string;
  severity: Severity;
  confidence: string;
  /** Relative to the scanned folder; null for a global finding. */
  file: string | null;
  /** 1-based; null for a global finding. */
  line: number | null;
  sample: string;
  description: string;
}

export interface Justification {
  file: string;
  /** 1-based line of the comment. */
  line: number;
  checks: string[];
  reason: string;
}

export const BLOCKING_SEVERITIES: readonly Severity[] = ['MEDIUM', 'HIGH'];
export const MIN_REASON_LENGTH = 20;
const MARK = /\/\/\s*electronegativity:\s*([A-Z0-9_]+(?:\s*,\s*[A-Z0-9_]+)*)\s*(?:—|--|-)\s*(.*)$/;

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted && char === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += char;
    } else if (char === ',') {
      endField();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      endRow();
    } else {
      field += char;
    }
  }
  if (field !== '' || row.length > 0) endRow();
  return rows.filter((cells) => cells.some((cell) => cell.trim() !== ''));
}

/** The report `electronegativity -r -o FILE.csv` writes: a header, then one row per finding. */
export function parseFindings(csv: string): Finding[] {
  const [header, ...rows] = parseCsv(csv);
  const columns = (header ?? []).map((name) => name.trim());
  const at = (name: string) => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`Electronegativity's report has no "${name}" column (columns: ${columns.join(', ')}).`);
    return index;
  };
  const [issue, severity, confidence, filename, location, sample, description] = [
    'issue',
    'severity',
    'confidence',
    'filename',
    'location',
    'sample',
    'description',
  ].map(at) as [number, number, number, number, number, number, number];
  return rows.map((cells) => {
    const file = cells[filename] ?? 'N/A';
    const global = file === 'N/A';
    return {
      check: cells[issue]!.trim(),
      severity: cells[severity]!.trim().toUpperCase() as Severity,
      confidence: cells[confidence]?.trim() ?? '',
      file: global ? null : file,
      line: global ? null : Number((cells[location] ?? '0').split(':')[0]),
      sample: cells[sample] ?? '',
      description: cells[description] ?? '',
    };
  });
}

/** Every `// electronegativity: …` comment in one file; the reason goes on over the `//` lines after it. */
export function readJustifications(file: string, source: string): Justification[] {
  const found: Justification[] = [];
  const lines = source.split('\n');
  lines.forEach((text, index) => {
    const match = MARK.exec(text);
    if (!match) return;
    let reason = match[2]!.trim();
    for (let next = index + 1; next < lines.length; next += 1) {
      const more = /^\s*\/\/\s?(.*)$/.exec(lines[next]!);
      if (!more || MARK.test(lines[next]!)) break;
      reason += ` ${more[1]!.trim()}`;
    }
    found.push({ file, line: index + 1, checks: match[1]!.split(',').map((id) => id.trim()), reason });
  });
  return found;
}

/** The comment lines right above a line (a contiguous block of `//` lines), and the line itself. */
function linesCovering(source: string, line: number): number[] {
  const lines = source.split('\n');
  const covered = [line];
  for (let above = line - 1; above >= 1 && /^\s*\/\//.test(lines[above - 1] ?? ''); above -= 1) covered.push(above);
  return covered;
}

export interface Verdict {
  blocking: Finding[];
  justified: { finding: Finding; by: Justification }[];
  belowThreshold: Finding[];
  /** Justifications too short to be one, or that excuse no finding of this run. */
  invalid: { justification: Justification; problem: string }[];
}

export function judge(findings: Finding[], sources: Map<string, string>): Verdict {
  const justifications = [...sources].flatMap(([file, source]) => readJustifications(file, source));
  const used = new Set<Justification>();
  const verdict: Verdict = { blocking: [], justified: [], belowThreshold: [], invalid: [] };
  for (const finding of findings) {
    if (!BLOCKING_SEVERITIES.includes(finding.severity)) {
      verdict.belowThreshold.push(finding);
      continue;
    }
    const source = finding.file === null ? undefined : sources.get(finding.file);
    const covered = finding.line !== null && source !== undefined ? linesCovering(source, finding.line) : [];
    const by = justifications.find(
      (justification) =>
        justification.checks.includes(finding.check) &&
        justification.reason.length >= MIN_REASON_LENGTH &&
        (finding.file === null || (justification.file === finding.file && covered.includes(justification.line))),
    );
    if (by) {
      used.add(by);
      verdict.justified.push({ finding, by });
    } else verdict.blocking.push(finding);
  }
  for (const justification of justifications) {
    if (justification.reason.length < MIN_REASON_LENGTH) {
      verdict.invalid.push({ justification, problem: `its reason is shorter than ${MIN_REASON_LENGTH} characters` });
    } else if (!used.has(justification)) {
      verdict.invalid.push({ justification, problem: 'no finding of this run needs it any more: remove it' });
    }
  }
  return verdict;
}
