/**
 * The desktop window's security settings, in one place so a test can read them without Electron.
 */
export const APP_SCHEME = 'berth';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

export const SECURE_WEB_PREFERENCES = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/** Links the renderer may open outside the app: web pages only, never file:, javascript: or custom schemes. */
export function isOpenableExternally(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Only our own page may talk to the main process. */
export function isTrustedSender(frameUrl: string | undefined): boolean {
  return typeof frameUrl === 'string' && (frameUrl === APP_ORIGIN || frameUrl.startsWith(`${APP_ORIGIN}/`));
}

/**
 * The permissions the page uses, for our own page only: writing text to the clipboard (Copy buttons,
 * a terminal's selection) and notifications (native through the Notification API, shown only when the
 * person turns them on in the Engine view). Everything else (camera, geolocation, openExternal
 * through the permission API…) is refused.
 */
const GRANTED_PERMISSIONS = new Set(['clipboard-sanitized-write', 'notifications']);
export function isPermissionGranted(permission: string, requestingUrl: string | undefined): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isTrustedSender(requestingUrl);
}
