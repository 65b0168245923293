import { useState } from 'react';
import { call } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { savedQueriesChanged } from './savedQueriesEvents.ts';

/** Saves a tab's text as a named .sql file in the saved-queries folder. */
export function SaveQueryDialog({ initialName, text, onClose }: { initialName: string; text: () => string; onClose: () => void }) {
  const [name, setName] = useState(initialName);
  const [problem, setProblem] = useState<string | null>(null);
  const save = async () => {
    try {
      await call('queries/save', { name, text: text() });
      savedQueriesChanged();
      onClose();
    } catch (error) {
      setProblem(toErrorData(error).message);
    }
  };
  return (
    <Dialog
      title="Save query"
      onClose={onClose}
      width={420}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="save-query" className="button button--primary">
            Save
          </button>
        </>
      }
    >
      <form
        id="save-query"
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="field field--wide">
          <label htmlFor="save-query-name">Name</label>
          <input id="save-query-name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={problem ? true : undefined} />
          {problem ? (
            <div className="field__error" role="alert">
              {problem}
            </div>
          ) : null}
        </div>
      </form>
    </Dialog>
  );
}
