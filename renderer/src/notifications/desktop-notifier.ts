/**
 * Shows notices through the Notification API (the browser's in browser mode; native in Electron's
 * renderer) while the person has turned them on, and follows what deserves one: the engine's event
 * stream for containers that die unexpectedly, the machine status stream for the VM. The streams
 * are held only while notifications are on. A click brings Berth forward at the notice's place.
 * Returns a disposer.
 */
import type { BerthClient, Subscription } from '../../../app/contract/client';
import type { VmStateView as VmState } from '../../../app/contract/machine-contract';
import { useNavigation } from '../navigation';
import { createDeathWatch, type DesktopNotice } from './notification-rules';
import { useNotificationSettings } from './notification-settings';
import { vmStopNotice } from './notification-rules';

/** Shows one notice now, if notifications are on. */
export function showDesktopNotice(notice: DesktopNotice): void {
  if (!useNotificationSettings.getState().enabled || typeof Notification === 'undefined') return;
  const notification = new Notification(notice.title, { body: notice.body, tag: notice.tag });
  notification.onclick = () => {
    window.focus();
    useNavigation.getState().navigate(notice.route);
    notification.close();
  };
}

export function startDesktopNotifications(api: BerthClient): () => void {
  let subscriptions: Subscription[] = [];
  const follow = () => {
    const deaths = createDeathWatch();
    let vmState: VmState | null = null;
    subscriptions = [
      api.engine.events(
        {},
        {
          next: (item) => {
            const notice = item.kind === 'event' ? deaths.observe(item.event) : null;
            if (notice) showDesktopNotice(notice);
          },
        },
      ),
      api.machine.status(
        {},
        {
          next: (status) => {
            const next = status.vm?.state ?? null;
            const notice = next ? vmStopNotice(vmState, next) : null;
            vmState = next;
            if (notice) showDesktopNotice(notice);
          },
        },
      ),
    ];
  };
  const unfollow = () => {
    for (const subscription of subscriptions) subscription.dispose();
    subscriptions = [];
  };
  const apply = (enabled: boolean) => {
    if (enabled && subscriptions.length === 0) follow();
    if (!enabled) unfollow();
  };
  apply(useNotificationSettings.getState().enabled);
  const unsubscribe = useNotificationSettings.subscribe((state) => apply(state.enabled));
  // A permission taken back in the browser's site settings turns them off here too.
  const onVisible = () => useNotificationSettings.getState().refreshPermission();
  document.addEventListener('visibilitychange', onVisible);
  return () => {
    unsubscribe();
    document.removeEventListener('visibilitychange', onVisible);
    unfollow();
  };
}
