/**
 * The Notifications setting (in the Engine view, where settings live): a toggle that asks the
 * browser's permission only when turned on, and, when the browser refuses, how to allow it.
 */
import { useEffect, useId } from 'react';
import { useNotificationSettings } from './notification-settings';

export function NotificationSetting() {
  const { enabled, permission, turnOn, turnOff, refreshPermission } = useNotificationSettings();
  const explanationId = useId();
  useEffect(refreshPermission, [refreshPermission]);
  const blocked = permission === 'denied' || permission === 'unsupported';
  return (
    <section className="notification-setting" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">Notifications</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={enabled}
          disabled={blocked}
          aria-describedby={explanationId}
          onChange={(event) => (event.target.checked ? void turnOn() : turnOff())}
        />
        <span>Notify me when a container dies unexpectedly, the VM stops, or a pull or build ends while I am elsewhere</span>
      </label>
      {permission === 'denied' ? (
        <p id={explanationId} role="note" className="problem">
          This browser blocks notifications from Berth. To allow them, open the site settings of this page (the icon at the left
          of the address bar), set Notifications to Allow, then reload Berth and turn them on here.
        </p>
      ) : permission === 'unsupported' ? (
        <p id={explanationId} role="note" className="problem">
          This browser cannot show notifications (it has no Notification API, or the page is not served over a secure address).
        </p>
      ) : (
        <p id={explanationId} className="muted">
          A choice for this browser: the permission is the browser&apos;s, so another browser asks again.
        </p>
      )}
    </section>
  );
}
