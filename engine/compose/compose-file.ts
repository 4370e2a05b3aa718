/**
 * What Berth checks of a compose file before compose runs, so the common mistakes get a sentence
 * rather than compose's stack of YAML errors: no file there, a folder, a file that is not a compose
 * file at all. A compose file that is broken YAML is compose's to explain (its message is shown as is).
 */
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from '../core/index.js';

/** Enough of the file to see its top-level keys; compose files are small. */
const HEAD_BYTES = 256 * 1024;

export interface ComposeFileFacts {
  file: string;
  /** The file's own top-level `name:`, which compose uses before the folder's name. */
  declaredName: string | null;
}

export async function checkComposeFile(file: string): Promise<ComposeFileFacts> {
  if (!path.isAbsolute(file)) {
    throw new EngineError('invalid-argument', `The compose file must be given as a full path on this computer, not "${file}".`);
  }
  const info = await stat(file).catch(() => null);
  if (!info) throw new EngineError('not-found', `There is no file at ${file}. Check the path: it is a path on this computer.`);
  if (info.isDirectory()) {
    throw new EngineError(
      'invalid-argument',
      `${file} is a folder. Choose the compose file in it (compose.yaml or docker-compose.yml).`,
    );
  }
  const handle = await open(file, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, info.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  return { file, declaredName: composeFileFacts(file, head) };
}

/** The file's declared project name; throws when the text cannot be a compose file. Pure. */
export function composeFileFacts(file: string, head: Buffer): string | null {
  if (head.includes(0)) throw new EngineError('invalid-argument', `${file} is not a compose file: it is not text.`);
  const text = head.toString('utf8');
  // A top-level mapping or list (block or flow style), not a sentence that starts with the word.
  if (!/^(services|include)\s*:\s*([{[]|#|$)/m.test(text)) {
    throw new EngineError('invalid-argument', `${file} is not a compose file: it has no top-level "services:" section.`);
  }
  const declared = /^name\s*:\s*["']?([^"'\s#]+)/m.exec(text)?.[1];
  return declared ? normaliseProjectName(declared) : null;
}

/** compose's own rule: lower case, only a-z 0-9 _ -, starting with a letter or digit. */
export function normaliseProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
}

/** The project compose would make: the name asked for, else the file's `name:`, else its folder's name. */
export function projectNameFor(facts: ComposeFileFacts, requested: string | null): string {
  const name = requested ?? facts.declaredName ?? normaliseProjectName(path.basename(path.dirname(facts.file)));
  if (!name) {
    throw new EngineError('invalid-argument', `Berth cannot make a project name from the folder of ${facts.file}; give one.`);
  }
  return name;
}

/**
 * A project name that another file's project already uses: compose would take those containers
 * over (and replace them), so Berth refuses. `configFiles` are the project's containers' labels.
 */
export function projectNameConflict(
  project: string,
  file: string,
  configFiles: ReadonlyArray<string | undefined>,
): string | null {
  const others = configFiles.flatMap((files) => (files ? files.split(',') : [])).filter((other) => other !== file);
  if (others.length === 0) return null;
  return `The project name ${project} is already used by ${others[0]}. Choose another project name, or bring that project down first.`;
}
