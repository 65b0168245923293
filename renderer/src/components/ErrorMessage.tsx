import type { CabinetErrorData } from '../../../shared/errors.ts';

/** A core error as a person reads it: the message, then the server's detail; always text, never HTML. */
export function ErrorMessage({ error, className, onDismiss }: { error: CabinetErrorData; className?: string; onDismiss?: () => void }) {
  return (
    <div className={`error-message ${className ?? ''}`} role="alert">
      <div className="error-message__text">
        <div className="error-message__title">{error.message}</div>
        {error.detail ? <div className="error-message__detail">{error.detail}</div> : null}
        {error.sqlState ? <div className="error-message__code">SQLSTATE {error.sqlState}</div> : null}
      </div>
      {onDismiss ? (
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      ) : null}
    </div>
  );
}
