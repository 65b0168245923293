import { useCallback, useEffect, useState } from 'react';
import type { SavedQuery } from '../../../../shared/history.ts';
import { call } from '../../api/client.ts';
import { onSavedQueriesChanged } from './savedQueriesEvents.ts';
import { openQueryWithText } from './openQuery.ts';
import { HistoryDialog } from './HistoryDialog.tsx';

/** The sidebar's saved queries (.sql files in a folder the person can open) and the way to the history. */
export function SavedQueriesPanel() {
  const [folder, setFolder] = useState('');
  const [queries, setQueries] = useState<SavedQuery[]>([]);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(() => {
    call('queries/list', {}).then(
      (r) => {
        setFolder(r.folder);
        setQueries(r.queries);
      },
      () => undefined,
    );
  }, []);
  useEffect(() => {
    load();
    return onSavedQueriesChanged(load);
  }, [load]);

  const open = async (name: string) => {
    const { text } = await call('queries/read', { name });
    setProblem(openQueryWithText(text) ? null : 'Connect to a server first: the query opens in a query tab on it.');
  };

  return (
    <section className="sidebar-section saved-queries" aria-labelledby="saved-queries-heading">
      <div className="section-header">
        <h2 id="saved-queries-heading">Saved queries</h2>
        <button type="button" className="button button--small" onClick={() => setHistoryOpen(true)}>
          History
        </button>
      </div>
      <ul className="saved-queries__list" aria-label="Saved queries" title={folder ? `Kept as .sql files in ${folder}` : undefined}>
        {queries.map((q) => (
          <li key={q.name}>
            <button type="button" className="saved-queries__item" title={q.path} onClick={() => void open(q.name)}>
              {q.name}
            </button>
          </li>
        ))}
        {queries.length === 0 ? <li className="saved-queries__empty">Save a query tab to keep it here.</li> : null}
      </ul>
      {problem ? <p className="field__error">{problem}</p> : null}
      {historyOpen ? <HistoryDialog onClose={() => setHistoryOpen(false)} /> : null}
    </section>
  );
}
