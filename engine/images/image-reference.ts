/**
 * Image references as the engine reads them ([registry/]repository[:tag][@digest]), checked here so a
 * person gets a sentence about what is wrong instead of the engine's "invalid reference format". The
 * grammar is distribution/reference's; the registry is found the way the docker CLI finds it.
 */
import { EngineError } from '../core/index.js';

export interface ImageReference {
  /** The registry host[:port]; "docker.io" when none is named. */
  registry: string;
  /** The repository inside the registry, e.g. "library/busybox" or "team/app". */
  repository: string;
  tag: string | null;
  digest: string | null;
}

export const DEFAULT_REGISTRY = 'docker.io';
const MAX_NAME_LENGTH = 255;
const DOMAIN =
  /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const EXAMPLE = 'e.g. busybox, busybox:1.36 or 127.0.0.1:5000/team/app:1.0';

function invalid(text: string, why: string): EngineError {
  return new EngineError('invalid-argument', `Invalid image reference "${text}": ${why}`);
}

/** True when the first component names a registry rather than a Docker Hub user (the CLI's rule). */
function looksLikeRegistry(component: string): boolean {
  return /[.:]/.test(component) || component === 'localhost' || component.toLowerCase() !== component;
}

/** Parses a reference, or throws an EngineError ('invalid-argument') that says what is wrong. */
export function parseImageReference(input: string): ImageReference {
  const text = input.trim();
  if (text === '') throw new EngineError('invalid-argument', `An image reference is required (${EXAMPLE}).`);
  if (/\s/.test(text)) throw invalid(text, 'it contains a space.');
  let rest = text;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(text, `"${digest}" is not a digest (algorithm:hex, e.g. sha256:…).`);
  }
  let tag: string | null = null;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) {
      throw invalid(
        text,
        `the tag "${tag}" may have up to 128 letters, digits, "_", "." and "-", and cannot start with "." or "-".`,
      );
    }
  }
  if (rest === '') throw invalid(text, `the repository name is missing (${EXAMPLE}).`);
  const slash = rest.indexOf('/');
  let registry = DEFAULT_REGISTRY;
  let path = rest;
  if (slash >= 0 && looksLikeRegistry(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    path = rest.slice(slash + 1);
    if (!DOMAIN.test(registry)) throw invalid(text, `"${registry}" is not a registry address (host or host:port).`);
  }
  if (path === '') throw invalid(text, `the repository name is missing (${EXAMPLE}).`);
  if (rest.length > MAX_NAME_LENGTH) throw invalid(text, `the name is longer than ${MAX_NAME_LENGTH} characters.`);
  for (const component of path.split('/')) {
    if (component === '') throw invalid(text, 'it has an empty path component ("//" or a trailing "/").');
    if (component.toLowerCase() !== component && PATH_COMPONENT.test(component.toLowerCase())) {
      throw invalid(text, 'repository names must be lowercase.');
    }
    if (!PATH_COMPONENT.test(component)) {
      throw invalid(
        text,
        `"${component}" may contain only lowercase letters, digits and single separators ("."/"_"/"__"/"-"), and must start and end with a letter or digit.`,
      );
    }
  }
  if (registry === DEFAULT_REGISTRY && !path.includes('/')) path = `library/${path}`;
  return { registry, repository: path, tag, digest };
}

/** The repository as a person writes it: "busybox", not "docker.io/library/busybox". */
export function familiarName(reference: ImageReference): string {
  if (reference.registry !== DEFAULT_REGISTRY) return `${reference.registry}/${reference.repository}`;
  return reference.repository.replace(/^library\//, '');
}

/** The reference to hand the engine, with "latest" made explicit when neither tag nor digest was named. */
export function formatReference(reference: ImageReference, options: { defaultTag?: boolean } = {}): string {
  let text = familiarName(reference);
  const tag = reference.tag ?? (reference.digest === null && options.defaultTag !== false ? 'latest' : null);
  if (tag) text += `:${tag}`;
  if (reference.digest) text += `@${reference.digest}`;
  return text;
}

/**
 * A registry address typed into a login form: a host[:port], with a scheme or path tolerated (people
 * paste URLs). Docker Hub's many spellings become "docker.io".
 */
export function normalizeRegistryAddress(input: string): string {
  const text = input
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '');
  if (text === '' || !DOMAIN.test(text)) {
    throw new EngineError(
      'invalid-argument',
      `"${input.trim()}" is not a registry address (host or host:port, e.g. 127.0.0.1:5000).`,
    );
  }
  const lower = text.toLowerCase();
  if (['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'].includes(lower))
    return DEFAULT_REGISTRY;
  return lower;
}
