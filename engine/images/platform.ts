/**
 * Image platforms (`os/arch[/variant]`, as `docker run --platform` takes them): parsing what a person
 * typed, the canonical text, and whether an image's platform is the one asked for. Pure.
 */
import { EngineError } from '../core/index.js';

export interface ImagePlatform {
  os: string;
  architecture: string;
  /** "v7" for linux/arm/v7; null when the image (or the request) names none. */
  variant: string | null;
}

export const PLATFORM_FORMAT = 'os/architecture[/variant], for example linux/arm64 or linux/arm/v7';

/** The names the kernel and other tools use for an architecture, as the engine and registries name it. */
const ARCHITECTURE_ALIASES: Record<string, string> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  armhf: 'arm',
  armel: 'arm',
  i686: '386',
  i386: '386',
};

const PART = /^[a-z0-9][a-z0-9._-]*$/;

/** "linux/arm64" -> { os, architecture, variant }; anything else is refused with the format. */
export function parsePlatform(text: string): ImagePlatform {
  const trimmed = text.trim().toLowerCase();
  const parts = trimmed.split('/');
  if (trimmed === '' || parts.length < 2 || parts.length > 3 || !parts.every((part) => PART.test(part))) {
    throw new EngineError('invalid-argument', `"${text}" is not a platform: write it as ${PLATFORM_FORMAT}.`);
  }
  const [os = '', arch = '', variant] = parts;
  const architecture = ARCHITECTURE_ALIASES[arch] ?? arch;
  return { os, architecture, variant: normalVariant(architecture, variant ?? null) };
}

/** arm64's only variant is v8, which images and requests may or may not spell out. */
function normalVariant(architecture: string, variant: string | null): string | null {
  if (!variant) return null;
  if (architecture === 'arm64' && variant === 'v8') return null;
  return variant;
}

export function formatPlatform(platform: ImagePlatform): string {
  const variant = normalVariant(platform.architecture, platform.variant);
  return [platform.os, platform.architecture, ...(variant ? [variant] : [])].join('/');
}

/** The platform from the engine's fields (image inspect's Os/Architecture/Variant, a manifest list's). */
export function platformOf(fields: {
  os?: string | undefined;
  architecture?: string | undefined;
  variant?: string | undefined;
}): ImagePlatform | null {
  if (!fields.os || !fields.architecture) return null;
  return {
    os: fields.os,
    architecture: fields.architecture,
    variant: normalVariant(fields.architecture, fields.variant || null),
  };
}

/**
 * Whether an image of platform `actual` serves a request for `wanted`: the same os and architecture, and
 * the same variant when the request names one (linux/arm matches any arm variant, linux/arm/v7 only v7).
 */
export function platformMatches(wanted: ImagePlatform, actual: ImagePlatform): boolean {
  if (wanted.os !== actual.os || wanted.architecture !== actual.architecture) return false;
  return wanted.variant === null || wanted.variant === actual.variant;
}

/** "linux/amd64, linux/arm64 and linux/arm/v7" (in the order given, without repeats). */
export function listPlatforms(platforms: readonly ImagePlatform[]): string {
  const names = [...new Set(platforms.map(formatPlatform))];
  if (names.length <= 1) return names[0] ?? 'none';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
