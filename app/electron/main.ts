/**
 * Electron main: a secure window over the same backend as browser mode, with the API carried over
 * IPC instead of a WebSocket. Kept thin: everything but window and IPC plumbing is shared.
 */
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell, type WebContents } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApiSession } from '../backend/api-session.js';
import { composeBerth, LaunchOptionsError, parseLaunchOptions, type LaunchOptions } from '../composition/index.js';
import { CONTENT_SECURITY_POLICY } from '../contract/security.js';
import { IPC_CHANNEL } from '../contract/wire.js';
import { createConsoleApiLogger } from '../launcher/api-logger.js';
import { installLastResortGuard } from '../launcher/last-resort-guard.js';
import { createAppImplementation } from '../backend/app-api.js';
import { BerthAlreadyRunningError, claimControlSocket, createAppShell, type ControlServer } from '../control/index.js';
import { berthStateDir, ensureBerthStateDir } from '../state-dir.js';
import { relayWindowsTo } from './attach-to-running.js';
import { createElectronCredentialStore } from './safe-storage-cipher.js';
import { startTray } from './tray.js';
import {
  APP_ORIGIN,
  APP_SCHEME,
  isOpenableExternally,
  isPermissionGranted,
  isTrustedSender,
  SECURE_WEB_PREFERENCES,
} from './window-security.js';

// Bundled to dist/app/electron-main.cjs; the renderer is in dist/renderer.
const distDir = join(__dirname, '..');
const rendererDir = join(distDir, 'renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    // Opening Berth while it runs headless: the UI attaches to it, in a window of this process.
    if (!window) return createWindow();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  void app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      // E.g. a state folder another user may write to: say what and how to fix it, rather than a blank window.
      const message = error instanceof Error ? error.message : String(error);
      console.error(`Berth could not start: ${message}`);
      dialog.showErrorBox('Berth could not start', message);
      app.exit(1);
    });
}

async function start(): Promise<void> {
  installLastResortGuard();
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionGranted(permission, details.requestingUrl)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin),
  );
  // The page saves downloads (a volume's tar, a container's files, a log) as Blob links; Electron then asks
  // where with its save dialog, which for a volume backup is told what it saves.
  session.defaultSession.on('will-download', (_event, item) => {
    if (item.getFilename().endsWith('.tar')) {
      item.setSaveDialogOptions({ title: 'Save volume backup', filters: [{ name: 'Tar archive', extensions: ['tar'] }] });
    }
  });
  // electronegativity: CSP_GLOBAL_CHECK — every berth:// response gets CONTENT_SECURITY_POLICY as a header
  // here, and renderer/index.html carries the same policy in a meta tag; the scanner looks for neither.
  protocol.handle(APP_SCHEME, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    let file = normalize(join(rendererDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(rendererDir + sep)) file = join(rendererDir, 'index.html');
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return new Response(response.body, { status: response.status, headers });
  });

  let options: LaunchOptions;
  try {
    options = parseLaunchOptions(process.argv.slice(1), { ignoreUnknown: true });
  } catch (error) {
    if (!(error instanceof LaunchOptionsError)) throw error;
    console.error(error.message);
    return app.exit(2);
  }
  // One backend per state folder: when a Berth runs already (a headless one), this window attaches to it.
  const stateDir = ensureBerthStateDir();
  let control: ControlServer;
  try {
    control = await claimControlSocket(stateDir);
  } catch (error) {
    if (!(error instanceof BerthAlreadyRunningError) || options.mode === 'headless') throw error;
    relayWindowsTo(error.socketPath, () => app.quit());
    createWindow();
    app.on('window-all-closed', () => app.quit());
    return;
  }
  const berth = await composeBerth(options, {
    // Packaged, the VM's scripts and image are resources (electron-builder.yml: extraResources), laid
    // out as in a checkout; unpackaged, the checkout itself.
    projectRoot: app.isPackaged ? process.resourcesPath : join(distDir, '..'),
    credentials: createElectronCredentialStore(berthStateDir()),
    chooseComposeFile: async () => {
      const result = await dialog.showOpenDialog({
        title: 'Open compose file',
        properties: ['openFile'],
        filters: [{ name: 'Compose files', extensions: ['yaml', 'yml'] }],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  });
  const { services } = berth;
  const headless = options.mode === 'headless';
  const implementation = {
    ...berth.implementation,
    app: createAppImplementation(
      createAppShell({
        shell: headless ? 'headless' : 'electron',
        projectRoot: app.isPackaged ? process.resourcesPath : join(distDir, '..'),
        stateDir,
        controlSocket: control.socketPath,
        browserLink: () => null,
        quit: () => app.quit(),
      }),
    ),
  };
  const sessions = new Map<number, ApiSession>();
  const logger = createConsoleApiLogger();
  control.serve(implementation, logger);

  const sessionFor = (contents: WebContents): ApiSession => {
    let session = sessions.get(contents.id);
    if (!session) {
      // The same bounds as browser mode (calls and streams per window, credit capped at each stream's
      // window); IPC tells nothing of its buffer, so credit alone bounds what is in flight to a window.
      const created = new ApiSession(
        implementation,
        (message) => !contents.isDestroyed() && contents.send(IPC_CHANNEL, message),
        { logger },
      );
      sessions.set(contents.id, created);
      contents.once('destroyed', () => {
        created.dispose();
        sessions.delete(contents.id);
      });
      session = created;
    }
    return session;
  };

  ipcMain.on(IPC_CHANNEL, (event, message: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url)) return; // not our page: ignore, never answer
    sessionFor(event.sender).receive(message);
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      // electronegativity: OPEN_EXTERNAL_JS_CHECK — only http: and https: URLs (isOpenableExternally, tested in
      // window-security.test.ts), never file:, javascript: or custom schemes.
      if (isOpenableExternally(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (navigation) => navigation.preventDefault());
    contents.on('will-attach-webview', (attach) => attach.preventDefault());
  });

  // The containers view is the first thing the page asks for: start the engine's listing as it loads.
  app.on('browser-window-created', (_event, window) =>
    window.webContents.on('did-start-loading', () => services.containers.readListAhead()),
  );
  // Headless: no window; it runs until `berth quit` (app.quit through the contract) or the tray's Quit.
  if (!headless) createWindow();
  const stopTray = startTray(berth, {
    open: (hash) => {
      const [window] = BrowserWindow.getAllWindows();
      if (!window) return createWindow(hash);
      if (hash) void window.loadURL(`${APP_ORIGIN}/index.html${hash}`);
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    quit: () => app.quit(),
  });
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
  app.on('window-all-closed', () => !headless && app.quit());
  // Hold the quit until the VM has synced and powered off: its data disk must not be cut mid-write.
  let quitting = false;
  app.on('will-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    stopTray();
    void berth
      .shutdown()
      .then(() => control.close())
      .finally(() => app.exit(0));
  });
}

function createWindow(hash = ''): void {
  // electronegativity: CONTEXT_ISOLATION_JS_CHECK, SANDBOX_JS_CHECK — webPreferences are SECURE_WEB_PREFERENCES
  // (sandbox and contextIsolation on, no Node; asserted by window-security.test.ts), spread in below where the
  // scanner cannot see them.
  // electronegativity: AUXCLICK_JS_CHECK — a middle-click's new window goes through setWindowOpenHandler, which
  // denies every window (web pages go to the system browser), and will-navigate is refused.
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Berth',
    show: false,
    // electronegativity: PRELOAD_JS_CHECK — the preload exposes one frozen client of the contract through
    // contextBridge: no ipcRenderer, no channel names, no generic invoke (preload.ts).
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(__dirname, 'preload.cjs') },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html${hash}`);
}
