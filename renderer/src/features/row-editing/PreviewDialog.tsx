import type { EditPreview } from '../../../../shared/edits.ts';
import { Dialog } from '../../components/Dialog.tsx';

/** The statements a change set becomes, in the order apply runs them, with their parameters. */
export function PreviewDialog({ preview, onClose, onApply }: { preview: EditPreview; onClose: () => void; onApply: () => void }) {
  return (
    <Dialog
      title={`SQL to apply (${preview.engine === 'postgres' ? 'PostgreSQL' : 'MySQL'})`}
      onClose={onClose}
      width={720}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button type="button" className="button button--primary" onClick={onApply}>
            Apply
          </button>
        </>
      }
    >
      <p className="muted">All statements run in one transaction.</p>
      <ol className="edit-preview" aria-label="Statements">
        {preview.statements.map((s, i) => (
          <li key={i} className="edit-preview__statement">
            <pre className="mono">{s.sql}</pre>
            {s.params.length > 0 ? <div className="mono edit-preview__params">params: {JSON.stringify(s.params)}</div> : null}
          </li>
        ))}
      </ol>
    </Dialog>
  );
}
