import { isBytes, type CellValue } from '../../../../shared/values.ts';
import { CloseIcon } from '../../components/Icons.tsx';

export interface OpenValue {
  column: string;
  type: string;
  typeClass: string;
  value: CellValue;
}

/** A value whole, as text: JSON pretty-printed, text with its line breaks, bytes as hex. Never HTML. */
export function valueText(value: CellValue, typeClass: string): string {
  if (value === null) return 'NULL';
  if (isBytes(value)) return (value.hex.match(/.{1,64}/g) ?? ['']).join('\n');
  if (typeClass === 'json') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return value;
}

export function ValuePanel({ open, onClose }: { open: OpenValue; onClose: () => void }) {
  const { value } = open;
  const size = value === null ? 'NULL' : isBytes(value) ? `${value.length.toLocaleString('en-US')} bytes` : `${value.length.toLocaleString('en-US')} characters`;
  return (
    <aside className="value-panel" aria-label={`Value of ${open.column}`}>
      <header className="value-panel__header">
        <div>
          <div className="value-panel__title">{open.column}</div>
          <div className="value-panel__meta">
            {open.type} · {size}
          </div>
        </div>
        <button type="button" className="icon-button" aria-label="Close the value" onClick={onClose}>
          <CloseIcon size={12} />
        </button>
      </header>
      <pre className={`value-panel__text mono${value === null ? ' is-null' : ''}`} tabIndex={0}>
        {valueText(value, open.typeClass)}
      </pre>
    </aside>
  );
}
