/**
 * The "Migrations folder" input: a path typed in (browser mode, where the core may run on another machine),
 * plus "Choose…" on the desktop, which opens the system's folder dialog through the preload bridge.
 */
import './migrations.css';

export function FolderField({ id, value, onChange }: { id: string; value: string; onChange: (path: string) => void }) {
  const bridge = window.cabinet;
  return (
    <div className="folder-field">
      <input
        id={id}
        className="mono"
        type="text"
        spellCheck={false}
        placeholder="Absolute path to a folder on the machine running Cabinet"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {bridge ? (
        <button
          type="button"
          className="button"
          onClick={() => {
            void bridge.chooseFolder('Choose the migrations folder').then((path) => {
              if (path) onChange(path);
            });
          }}
        >
          Choose…
        </button>
      ) : null}
    </div>
  );
}
