import { useNoticeStore } from '../components/notice-store';

/** Errors and confirmations from actions, each dismissable; errors are announced as alerts. */
export function Notices() {
  const notices = useNoticeStore((state) => state.notices);
  const dismiss = useNoticeStore((state) => state.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <ul className="notices" aria-label="Notifications">
      {notices.map((notice) => (
        <li key={notice.id} className="notice" data-kind={notice.kind} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          <button type="button" onClick={() => dismiss(notice.id)} aria-label="Dismiss notification">
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
