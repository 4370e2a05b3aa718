/** Desktop notifications: the rules, the per-browser setting, and the notifier over the Notification API. */
export { showDesktopNotice, startDesktopNotifications } from './desktop-notifier';
export { taskNotice, type DesktopNotice } from './notification-rules';
export { useNotificationSettings } from './notification-settings';
export { NotificationSetting } from './NotificationSetting';
