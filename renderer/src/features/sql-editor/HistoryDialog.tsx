import { useEffect, useState } from 'react';
import type { HistoryEntry } from '../../../../shared/history.ts';
import { call } from '../../api/client.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { openQueryWithText } from './openQuery.ts';

/** Every statement run, newest first, searchable; one opens again in a query tab. */
export function HistoryDialog({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState('');
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      call('history/search', { text, limit: 200 }).then(
        (r) => current && setEntries(r.entries),
        () => current && setEntries([]),
      );
    }, 120);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);

  return (
    <Dialog title="Query history" onClose={onClose} width={760}>
      <input className="history__search" aria-label="Search history" placeholder="Search the SQL, connection or database" value={text} onChange={(e) => setText(e.target.value)} />
      {problem ? <p className="field__error">{problem}</p> : null}
      <ul className="history__list" aria-label="History entries">
        {entries.map((e) => (
          <li key={e.id} className={`history__entry${e.error ? ' is-error' : ''}`}>
            <div className="history__meta">
              {new Date(e.at).toLocaleString()} · {e.connectionName}
              {e.database ? ` / ${e.database}` : ''} · {e.durationMs} ms · {e.error ? 'error' : `${e.rows ?? 0} rows`}
            </div>
            <pre className="history__sql mono">{e.sql.length > 600 ? `${e.sql.slice(0, 600)}…` : e.sql}</pre>
            {e.error ? <div className="history__error">{e.error}</div> : null}
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                if (openQueryWithText(e.sql, e.profileId)) onClose();
                else setProblem('Connect to a server first: the statement opens in a query tab on it.');
              }}
            >
              Open in a query tab
            </button>
          </li>
        ))}
        {entries.length === 0 ? <li className="history__empty">{text ? 'Nothing matches.' : 'Statements you run appear here.'}</li> : null}
      </ul>
    </Dialog>
  );
}
