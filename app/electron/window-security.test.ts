import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  isOpenableExternally,
  isPermissionGranted,
  isTrustedSender,
  SECURE_WEB_PREFERENCES,
} from './window-security.js';

describe('the desktop window', () => {
  it('is sandboxed and isolated, with no Node in the page', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it.each(['http://localhost:8080', 'https://docs.docker.com/'])('opens %s in the system browser', (url) => {
    expect(isOpenableExternally(url)).toBe(true);
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'berth://app/index.html', 'smb://host/share', 'not a url', ''])(
    'never opens %j outside',
    (url) => {
      expect(isOpenableExternally(url)).toBe(false);
    },
  );

  it('accepts IPC only from its own page', () => {
    expect(isTrustedSender(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isTrustedSender(APP_ORIGIN)).toBe(true);
    expect(isTrustedSender('berth://application/index.html')).toBe(false);
    expect(isTrustedSender('berth://app.evil/index.html')).toBe(false);
    expect(isTrustedSender('https://example.com/')).toBe(false);
    expect(isTrustedSender('file:///tmp/x.html')).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });

  it('grants our page the clipboard write it uses, and nothing else to anyone', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', `${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', APP_ORIGIN)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://example.com/')).toBe(false);
    expect(isPermissionGranted('notifications', `${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isPermissionGranted('notifications', 'https://example.com/')).toBe(false);
    for (const permission of ['media', 'geolocation', 'openExternal', 'clipboard-read', 'fullscreen']) {
      expect(isPermissionGranted(permission, `${APP_ORIGIN}/index.html`)).toBe(false);
    }
  });
});
