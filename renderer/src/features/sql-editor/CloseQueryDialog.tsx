import { Dialog } from '../../components/Dialog.tsx';
import { useStore } from '../../store/index.ts';

/** Closing a query tab whose transaction is open: commit it, roll it back, or keep the tab. */
export function CloseQueryDialog() {
  const tabId = useStore((s) => s.closingQuery);
  const title = useStore((s) => s.tabs.find((t) => t.id === s.closingQuery)?.title);
  const finish = useStore((s) => s.finishQueryTab);
  const keep = useStore((s) => s.cancelClosingQuery);
  if (!tabId) return null;
  return (
    <Dialog
      title="Open transaction"
      onClose={keep}
      width={440}
      footer={
        <>
          <button type="button" className="button" onClick={keep}>
            Keep the tab
          </button>
          <span className="spacer" />
          <button type="button" className="button button--danger" onClick={() => void finish(tabId, 'rollback')}>
            Roll back
          </button>
          <button type="button" className="button button--primary" onClick={() => void finish(tabId, 'commit')}>
            Commit
          </button>
        </>
      }
    >
      <p>{title ?? 'This tab'} has a transaction open. Commit it or roll it back before the tab closes?</p>
    </Dialog>
  );
}
