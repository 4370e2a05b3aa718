/**
 * Desktop notifications as a spec sees them: window.Notification wrapped by a recorder before
 * Berth's page loads, so each notification shown can be read back and clicked as a person would.
 */
import type { Page } from '@playwright/test';

export interface RecordedNotification {
  title: string;
  body: string;
}

interface Shown extends RecordedNotification {
  onclick: (() => void) | null;
  close: () => void;
}

/** Runs in the page: replaces window.Notification with a recorder that keeps each one shown. */
function recordInPage() {
  const Real = window.Notification;
  const shown: Shown[] = [];
  class Recorder {
    static get permission() {
      return Real.permission;
    }
    static requestPermission() {
      return Real.requestPermission();
    }
    onclick: (() => void) | null = null;
    constructor(
      readonly title: string,
      options?: NotificationOptions,
    ) {
      shown.push(Object.assign(this, { body: options?.body ?? '', close: () => undefined }));
    }
  }
  Object.assign(window, { Notification: Recorder, berthNotifications: shown });
}

export class NotificationRecorder {
  constructor(private readonly page: Page) {}

  /** Before the page is opened: every load of it records from its first script on. */
  async install(): Promise<void> {
    await this.page.addInitScript(recordInPage);
  }

  /** The notifications shown so far, oldest first. */
  shown(): Promise<RecordedNotification[]> {
    return this.page.evaluate(() =>
      (window as unknown as { berthNotifications: Shown[] }).berthNotifications.map(({ title, body }) => ({ title, body })),
    );
  }

  /** Clicks the notification with this title, as the person would in the system's notification area. */
  async click(title: string): Promise<void> {
    await this.page.evaluate((wanted) => {
      const shown = (window as unknown as { berthNotifications: Shown[] }).berthNotifications;
      shown.find((notice) => notice.title === wanted)?.onclick?.();
    }, title);
  }
}
