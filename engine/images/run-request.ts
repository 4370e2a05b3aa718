/**
 * The Run dialog's request, checked and turned into the engine's create options. Pure: each rule gives
 * a sentence naming the field and the value at fault, before anything is pulled or created.
 */
import type Dockerode from 'dockerode';
import { EngineError } from '../core/index.js';
import { parseImageReference, type ImageReference } from './image-reference.js';
import type { RunRequest } from './image-types.js';

/** The engine's rule for container names (daemon/names.go), which also keeps them shell-safe. */
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
/** The engine's rule for volume names; a source that is not one must be an absolute host path. */
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export interface RunPlan {
  image: ImageReference;
  /** What the person typed: an id or a short name resolves locally as they meant it. */
  imageInput: string;
  name: string | null;
  options: Dockerode.ContainerCreateOptions;
}

const invalid = (message: string) => new EngineError('invalid-argument', message);

/** Splits a command line the way a POSIX shell would split words: quotes and backslashes, no expansion. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index]!;
    if (quote === "'") {
      if (char === "'") quote = null;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = null;
      else if (char === '\\' && index + 1 < line.length && '"\\$`'.includes(line[index + 1]!)) word += line[++index];
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\' && index + 1 < line.length) {
      word += line[++index];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote) throw invalid(`The command has an unclosed ${quote === '"' ? 'double' : 'single'} quote.`);
  if (inWord) words.push(word);
  return words;
}

export function validateEnvLine(line: string): void {
  const equals = line.indexOf('=');
  const key = equals > 0 ? line.slice(0, equals) : '';
  if (key === '' || /\s/.test(key)) throw invalid(`Invalid environment variable "${line}": write it as KEY=value.`);
}

export function planRun(request: RunRequest): RunPlan {
  const imageInput = request.image.trim();
  const image = parseImageReference(imageInput);
  const name = request.name?.trim() || null;
  if (name !== null && !CONTAINER_NAME.test(name)) {
    throw invalid(
      `Invalid container name "${name}": at least 2 characters, starting with a letter or digit, then letters, digits, "_", "." or "-".`,
    );
  }
  const command = request.command?.trim() ? splitCommandLine(request.command) : null;
  const env = request.env.map((line) => line.trim()).filter((line) => line !== '');
  env.forEach(validateEnvLine);
  if (request.autoRemove && request.restart !== 'no') {
    throw invalid(
      `Auto-remove cannot be combined with the restart policy "${request.restart}": a removed container cannot restart.`,
    );
  }

  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostPort: string }>> = {};
  const hostPorts = new Set<string>();
  for (const port of request.ports) {
    const key = `${port.containerPort}/${port.protocol}`;
    if (port.hostPort !== null) {
      const hostKey = `${port.hostPort}/${port.protocol}`;
      if (hostPorts.has(hostKey)) throw invalid(`Host port ${hostKey} is published twice.`);
      hostPorts.add(hostKey);
    }
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostPort: port.hostPort === null ? '' : String(port.hostPort) });
  }

  const mounts: Dockerode.MountSettings[] = [];
  const targets = new Set<string>();
  for (const volume of request.volumes) {
    const source = volume.source.trim();
    const target = volume.target.trim();
    if (!target.startsWith('/')) throw invalid(`The container path "${target}" must be absolute (start with /).`);
    if (targets.has(target)) throw invalid(`Two volumes are mounted at ${target}.`);
    targets.add(target);
    if (source.startsWith('/')) mounts.push({ Type: 'bind', Source: source, Target: target, ReadOnly: volume.readOnly });
    else if (VOLUME_NAME.test(source)) mounts.push({ Type: 'volume', Source: source, Target: target, ReadOnly: volume.readOnly });
    else throw invalid(`The volume source "${source}" must be a volume name or an absolute host path (starting with /).`);
  }

  const options: Dockerode.ContainerCreateOptions = {
    ...(name ? { name } : {}),
    Image: imageInput,
    ...(command ? { Cmd: command } : {}),
    Env: env,
    ExposedPorts: exposed,
    Tty: request.interactive,
    OpenStdin: request.interactive,
    StdinOnce: false,
    HostConfig: {
      PortBindings: bindings,
      Mounts: mounts,
      RestartPolicy: { Name: request.restart === 'no' ? '' : request.restart },
      AutoRemove: request.autoRemove,
    },
  };
  return { image, imageInput, name, options };
}

// Where a port error names its port now lives with the rest of port knowledge.
export { portInUse } from '../ports/index.js';
