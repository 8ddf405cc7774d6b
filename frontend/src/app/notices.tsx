import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

export interface Notice {
  id: number;
  message: string;
  action?: { label: string; run: () => void | Promise<void> };
}

interface NoticeApi {
  notify: (message: string, action?: Notice['action']) => void;
}

const NoticeContext = createContext<NoticeApi>({ notify: () => undefined });

const VISIBLE_MS = 10000;

/** Short confirmations ("Moved to trash. Undo") announced to screen readers. */
export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setNotices((all) => all.filter((n) => n.id !== id)), []);
  const notify = useCallback(
    (message: string, action?: Notice['action']) => {
      const id = nextId.current++;
      setNotices((all) => [...all.slice(-2), { id, message, action }]);
      setTimeout(() => dismiss(id), VISIBLE_MS);
    },
    [dismiss],
  );
  const api = useMemo(() => ({ notify }), [notify]);

  return (
    <NoticeContext.Provider value={api}>
      {children}
      <div className="notices" role="status" aria-live="polite">
        {notices.map((notice) => (
          <div key={notice.id} className="notice">
            <span>{notice.message}</span>
            {notice.action && (
              <button
                type="button"
                onClick={async () => {
                  dismiss(notice.id);
                  await notice.action?.run();
                }}
              >
                {notice.action.label}
              </button>
            )}
            <button type="button" aria-label="Dismiss" onClick={() => dismiss(notice.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </NoticeContext.Provider>
  );
}

export function useNotices(): NoticeApi {
  return useContext(NoticeContext);
}
