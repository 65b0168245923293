/**
 * A migration file in an editor: a new one (the person types a name; the core names the file with the current
 * UTC timestamp) or an existing one. Save writes it to the folder, refused if it changed on disk meanwhile.
 */
import { useEffect, useRef, useState } from 'react';
import type { CabinetErrorData } from '../../../../shared/errors.ts';
import type { MigrationFileText } from '../../../../shared/migrations.ts';
import type { Engine } from '../../../../shared/profiles.ts';
import { call } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Spinner } from '../../components/Icons.tsx';
import { SqlFileEditor } from './SqlPanes.tsx';

export type FileDialogRequest = { mode: 'create' } | { mode: 'edit'; file: string };

export function MigrationFileDialog({
  dir,
  engine,
  request,
  onClose,
  onSaved,
}: {
  dir: string;
  engine: Engine;
  request: FileDialogRequest;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [file, setFile] = useState<MigrationFileText | null>(null);
  const [error, setError] = useState<CabinetErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState('');
  const text = useRef<() => string>(() => '');

  useEffect(() => {
    if (request.mode !== 'edit') return;
    call('migrations/read-file', { dir, file: request.file }).then(setFile, (e: unknown) => setError(toErrorData(e)));
    // Read once per dialog.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const create = async () => {
    setBusy(true);
    try {
      const created = await call('migrations/create', { dir, name });
      onSaved();
      setFile(await call('migrations/read-file', { dir, file: created.file }));
      setError(null);
    } catch (e) {
      setError(toErrorData(e));
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    if (!file) return;
    setBusy(true);
    try {
      await call('migrations/write-file', { dir, file: file.file, text: text.current(), expectedModifiedAt: file.modifiedAt });
      onSaved();
      onClose();
    } catch (e) {
      // The text stays in the editor: nothing typed is lost.
      setError(toErrorData(e));
    } finally {
      setBusy(false);
    }
  };

  if (!file) {
    return (
      <Dialog
        title={request.mode === 'create' ? 'New migration' : `Open ${request.file}`}
        onClose={onClose}
        footer={
          <>
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <span className="spacer" />
            {request.mode === 'create' ? (
              <button type="submit" form="migration-create" className="button button--primary" disabled={busy || !name.trim()}>
                Create
              </button>
            ) : null}
          </>
        }
      >
        {request.mode === 'create' ? (
          <form
            id="migration-create"
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <div className="field field--wide">
              <label htmlFor="migration-name">Name</label>
              <input id="migration-name" type="text" spellCheck={false} placeholder="add_orders_index" value={name} onChange={(e) => setName(e.target.value)} />
            </div>
            <p className="form__hint">The version is the current UTC time (YYYYMMDDHHMMSS); the file gets an up and a down section.</p>
          </form>
        ) : error ? null : (
          <div className="muted-row">
            <Spinner /> Reading {request.file}…
          </div>
        )}
        {error ? <ErrorMessage error={error} /> : null}
      </Dialog>
    );
  }

  return (
    <Dialog
      title={`Edit ${file.file}`}
      onClose={onClose}
      width={900}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <span className="spacer" />
          <button type="button" className="button button--primary" disabled={busy} onClick={() => void save()}>
            Save
          </button>
        </>
      }
    >
      <p className="muted mono">{file.file}</p>
      <SqlFileEditor label="Migration file" initial={file.text} engine={engine} onReady={(getText) => (text.current = getText)} />
      {error ? <ErrorMessage error={error} onDismiss={() => setError(null)} /> : null}
    </Dialog>
  );
}
