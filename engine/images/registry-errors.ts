/**
 * What a registry's refusal means for a person. The engine passes registry failures through as HTTP
 * 500 with the registry's own words ("unauthorized: authentication required", "manifest unknown"),
 * so the message, not the status, tells them apart.
 */
import { EngineError, toEngineError } from '../core/index.js';

export type RegistryAction = 'pull' | 'push' | 'login';

const UNAUTHORIZED =
  /unauthorized|authentication required|no basic auth credentials|401 Unauthorized|access.*denied|denied: requested access/i;
const NOT_FOUND = /manifest unknown|not found|name unknown|repository does not exist/i;
const UNREACHABLE = /connection refused|no such host|i\/o timeout|network is unreachable|dial tcp|TLS handshake timeout|EOF$/i;
const NOT_HTTPS = /server gave HTTP response to HTTPS client/i;

export function toRegistryError(error: unknown, action: RegistryAction, registry: string, reference?: string): EngineError {
  const base = error instanceof EngineError ? error : toEngineError(error, `${action} ${reference ?? registry}`);
  if (base.code === 'unreachable') return base; // the engine itself, not the registry
  const text = base.message;
  if (/invalid reference format/i.test(text)) {
    return new EngineError(
      'invalid-argument',
      `Invalid image reference "${reference ?? ''}": ${text.replace(/^.*invalid reference format:?\s*/i, '') || 'the engine cannot read it.'}`,
    );
  }
  if (UNAUTHORIZED.test(text)) {
    if (action === 'login') return new EngineError('unauthorized', `Wrong user name or password for ${registry}.`);
    const saved = /no basic auth credentials/i.test(text) ? 'needs a login' : 'refused the saved login (or it has no access)';
    return new EngineError(
      'unauthorized',
      `Registry ${registry} ${saved}: log in to ${registry} with an account that may ${action} ${reference ?? 'this image'}.`,
    );
  }
  if (NOT_HTTPS.test(text)) {
    return new EngineError(
      'engine-error',
      `Registry ${registry} speaks plain HTTP: add it to the engine's "insecure-registries" (127.0.0.0/8 is allowed by default).`,
    );
  }
  if (action === 'pull' && (base.code === 'not-found' || NOT_FOUND.test(text))) {
    return new EngineError('not-found', `Image ${reference ?? ''} was not found in registry ${registry}.`);
  }
  if (action === 'push' && /An image does not exist locally|No such image|There is no image/i.test(text)) {
    return new EngineError('not-found', `There is no local image ${reference ?? ''} to push; tag an image with that name first.`);
  }
  if (UNREACHABLE.test(text)) {
    return new EngineError('engine-error', `The engine cannot reach registry ${registry}: ${text}`);
  }
  return base;
}
