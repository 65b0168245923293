import { useEffect, useRef, useState } from 'react';
import type { CabinetErrorData } from '../../../../shared/errors.ts';
import type { ExportFormat, ExportProgress, ExportStarted } from '../../../../shared/exports.ts';
import { call, onEvent } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useStore } from '../../store/index.ts';

const FORMATS: { value: ExportFormat; label: string }[] = [
  { value: 'csv', label: 'CSV' },
  { value: 'jsonl', label: 'JSON lines' },
  { value: 'json', label: 'JSON array' },
  { value: 'sql', label: 'SQL INSERT statements' },
];

export interface ExportRequest {
  connectionId: string;
  database?: string;
  /** What to export: a result's statement, or `SELECT * FROM` a table. */
  sql: string;
  /** A name for the file and, for SQL, the INSERT target's parts. */
  name: string;
  table?: string[];
}

/**
 * Export streamed by the core, never through the page: to a file in the desktop app, as a download in browser
 * mode. The whole result is exported (the statement runs again on a session of its own), with progress and Cancel.
 */
export function ExportDialog({ request, onClose }: { request: ExportRequest; onClose: () => void }) {
  const mode = useStore((s) => s.appInfo?.mode ?? 'browser');
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [headers, setHeaders] = useState(true);
  const [path, setPath] = useState('');
  const [started, setStarted] = useState<ExportStarted | null>(null);
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [error, setError] = useState<CabinetErrorData | null>(null);
  const link = useRef<HTMLAnchorElement>(null);

  useEffect(
    () =>
      onEvent('exports/progress', (p) => {
        if (p.exportId === started?.exportId) setProgress(p);
      }),
    [started],
  );

  // A finished browser-mode export downloads at once.
  const finished = progress?.done && !progress.error && !progress.cancelled;
  useEffect(() => {
    if (finished && started?.downloadUrl) link.current?.click();
  }, [finished, started]);

  const start = async () => {
    setError(null);
    try {
      const answer = await call('exports/start', {
        connectionId: request.connectionId,
        ...(request.database ? { database: request.database } : {}),
        sql: request.sql,
        format,
        name: request.name,
        ...(format === 'csv' ? { headers } : {}),
        ...(format === 'sql' && request.table ? { table: request.table } : {}),
        ...(mode === 'desktop' && path.trim() ? { path: path.trim() } : {}),
      });
      setStarted(answer);
      setProgress({ exportId: answer.exportId, rows: 0, bytes: 0, elapsedMs: 0, done: false });
    } catch (e) {
      setError(toErrorData(e));
    }
  };

  const running = started && !progress?.done;
  return (
    <Dialog
      title="Export"
      onClose={onClose}
      width={480}
      footer={
        <>
          <span className="spacer" />
          {running ? (
            <button type="button" className="button" onClick={() => void call('exports/cancel', { exportId: started.exportId }).catch(() => undefined)}>
              Cancel export
            </button>
          ) : (
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
          )}
          {!started ? (
            <button type="button" className="button button--primary" disabled={mode === 'desktop' && !path.trim()} onClick={() => void start()}>
              Export
            </button>
          ) : null}
        </>
      }
    >
      <div className="form">
        <div className="field field--wide">
          <label htmlFor="export-format">Format</label>
          <select id="export-format" value={format} disabled={started !== null} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
            {FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        {format === 'csv' ? (
          <label className="checkbox">
            <input type="checkbox" checked={headers} disabled={started !== null} onChange={(e) => setHeaders(e.target.checked)} />
            Column names on the first line
          </label>
        ) : null}
        {mode === 'desktop' ? (
          <div className="field field--wide">
            <label htmlFor="export-path">File</label>
            <input id="export-path" className="mono" placeholder="/home/me/export.csv" value={path} onChange={(e) => setPath(e.target.value)} />
          </div>
        ) : (
          <p className="form__hint">The file downloads when the export is done.</p>
        )}
        {progress ? (
          <div className="export-progress" role="status" aria-label="Export progress">
            <progress max={1} value={progress.done ? 1 : undefined} />
            <span>
              {progress.rows.toLocaleString('en-US')} rows · {(progress.bytes / 1024 / 1024).toFixed(1)} MB
              {progress.cancelled ? ' · cancelled' : progress.error ? ' · failed' : progress.done ? ' · done' : '…'}
            </span>
          </div>
        ) : null}
        {progress?.error ? <ErrorMessage error={progress.error} /> : null}
        {error ? <ErrorMessage error={error} /> : null}
        {started?.downloadUrl && finished ? (
          <a ref={link} href={started.downloadUrl} download={started.fileName}>
            Download {started.fileName}
          </a>
        ) : null}
      </div>
    </Dialog>
  );
}
