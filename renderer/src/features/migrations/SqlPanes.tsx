/**
 * Monaco for migration SQL: a read-only view, a side-by-side diff (what was applied against the file now), and
 * an editor for a new file. The query tabs' Monaco bundle is reused and loaded on first use.
 */
import { useEffect, useRef, useState } from 'react';
import type * as MonacoApi from 'monaco-editor/esm/vs/editor/editor.api.js';
import type { Engine } from '../../../../shared/profiles.ts';
import { Spinner } from '../../components/Icons.tsx';
import { useStore } from '../../store/index.ts';

type Monaco = typeof import('../sql-editor/monaco.ts')['monaco'];

const languageOf = (engine: Engine) => (engine === 'mysql' ? 'mysql' : 'pgsql');

const COMMON: MonacoApi.editor.IEditorOptions = {
  automaticLayout: true,
  minimap: { enabled: false },
  fontSize: 12,
  scrollBeyondLastLine: false,
  renderLineHighlight: 'none',
  lineNumbersMinChars: 3,
  overviewRulerLanes: 0,
  hideCursorInOverviewRuler: true,
  overviewRulerBorder: false,
  fixedOverflowWidgets: true,
  scrollbar: { alwaysConsumeMouseWheel: false },
};

/**
 * A host element for what `mount` builds once Monaco is loaded; rebuilt when `deps` change, disposed with the
 * component. The theme follows the app's without rebuilding (an edited file keeps its text).
 */
function MonacoPane({ label, mount, deps }: { label: string; mount: (monaco: Monaco, host: HTMLDivElement) => { dispose(): void }; deps: unknown[] }) {
  const host = useRef<HTMLDivElement>(null);
  const [monaco, setMonaco] = useState<Monaco | null>(null);
  const theme = useStore((s) => s.theme);
  useEffect(() => {
    let disposed = false;
    let built: { dispose(): void } | undefined;
    void import('../sql-editor/monaco.ts').then((loaded) => {
      if (disposed || !host.current) return;
      built = mount(loaded.monaco, host.current);
      setMonaco(loaded.monaco);
    });
    return () => {
      disposed = true;
      built?.dispose();
    };
    // `mount` is a new function on every render; what it reads is listed in `deps` by the caller.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => monaco?.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs'), [monaco, theme]);
  return (
    <div className="migration-sql" role="region" aria-label={label}>
      <div className="migration-sql__host" ref={host} />
      {monaco ? null : (
        <div className="muted-row">
          <Spinner /> Loading the editor…
        </div>
      )}
    </div>
  );
}

/** The editor grows with its text up to a limit, so a short migration takes little room. */
function fitHeight(editor: MonacoApi.editor.ICodeEditor, host: HTMLElement, max: number) {
  const fit = () => {
    host.style.height = `${Math.min(max, Math.max(60, editor.getContentHeight() + 2))}px`;
  };
  fit();
  return editor.onDidContentSizeChange(fit);
}

/** SQL shown read-only, with the engine's highlighting. */
export function SqlView({ label, sql, engine }: { label: string; sql: string; engine: Engine }) {
  return (
    <MonacoPane
      label={label}
      deps={[sql, engine, label]}
      mount={(monaco, host) => {
        const model = monaco.editor.createModel(sql, languageOf(engine));
        const editor = monaco.editor.create(host, { ...COMMON, model, readOnly: true, domReadOnly: true, wordWrap: 'on', ariaLabel: label });
        const sizing = fitHeight(editor, host, 360);
        return {
          dispose: () => {
            sizing.dispose();
            editor.dispose();
            model.dispose();
          },
        };
      }}
    />
  );
}

/** What was applied (left) against the file now (right), side by side. */
export function SqlDiff({ label, applied, current, engine }: { label: string; applied: string; current: string; engine: Engine }) {
  return (
    <MonacoPane
      label={label}
      deps={[applied, current, engine, label]}
      mount={(monaco, host) => {
        const original = monaco.editor.createModel(applied, languageOf(engine));
        const modified = monaco.editor.createModel(current, languageOf(engine));
        const diff = monaco.editor.createDiffEditor(host, {
          ...COMMON,
          readOnly: true,
          originalEditable: false,
          renderSideBySide: true,
          useInlineViewWhenSpaceIsLimited: false,
          renderOverviewRuler: false,
          wordWrap: 'on',
          diffWordWrap: 'on',
          ariaLabel: label,
        });
        diff.setModel({ original, modified });
        const lines = Math.max(original.getLineCount(), modified.getLineCount());
        host.style.height = `${Math.min(420, Math.max(120, 19 * lines + 24))}px`;
        return {
          dispose: () => {
            diff.dispose();
            original.dispose();
            modified.dispose();
          },
        };
      }}
    />
  );
}

/** An editable file; `onReady` hands over a getter of its text, read when the person saves. */
export function SqlFileEditor({ label, initial, engine, onReady }: { label: string; initial: string; engine: Engine; onReady: (text: () => string) => void }) {
  return (
    <MonacoPane
      label={label}
      deps={[initial, engine, label]}
      mount={(monaco, host) => {
        const model = monaco.editor.createModel(initial, languageOf(engine));
        const editor = monaco.editor.create(host, { ...COMMON, model, tabSize: 2, ariaLabel: label });
        host.style.height = '340px';
        onReady(() => model.getValue());
        editor.focus();
        return {
          dispose: () => {
            editor.dispose();
            model.dispose();
          },
        };
      }}
    />
  );
}
