import { useEffect, useRef, useState } from 'react';
import type * as MonacoApi from 'monaco-editor/esm/vs/editor/editor.api.js';
import { Spinner } from '../../components/Icons.tsx';
import { useStore } from '../../store/index.ts';
import { registerCompletion, setCompletionTarget, type CompletionTarget } from './completionProvider.ts';
import { modelFor } from './editorModels.ts';
import type { EditorError, RunStatement } from './queriesSlice.ts';

export interface EditorActions {
  run(mode: 'current' | 'all'): void;
  cancel(): void;
  format(): void;
}

export interface EditorHandle {
  text(): string;
  /** The selection's offsets, or null when nothing is selected. */
  selection(): { start: number; end: number } | null;
  cursor(): number;
  replaceAll(text: string): void;
  focus(): void;
}

type MonacoModule = typeof import('./monaco.ts');
let loading: Promise<MonacoModule> | undefined;
const loadMonaco = () => (loading ??= import('./monaco.ts'));

/**
 * The Monaco editor of a query tab, loaded on first use. Ctrl+Enter runs the statement under the cursor,
 * Ctrl+Shift+Enter the whole script; Escape cancels while a statement runs; Shift+Alt+F formats.
 */
export function QueryEditor({
  tabId,
  language,
  completion,
  actions,
  current,
  error,
  running,
  onReady,
}: {
  tabId: string;
  language: 'pgsql' | 'mysql';
  /** What completion reads the schema of. */
  completion: CompletionTarget | undefined;
  actions: EditorActions;
  current: RunStatement | undefined;
  error: EditorError | undefined;
  running: boolean;
  onReady: (handle: EditorHandle) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<MonacoApi.editor.IStandaloneCodeEditor | null>(null);
  const monacoRef = useRef<MonacoModule['monaco'] | null>(null);
  const actionsRef = useRef(actions);
  const runningRef = useRef(running);
  const decorations = useRef<MonacoApi.editor.IEditorDecorationsCollection | null>(null);
  const theme = useStore((s) => s.theme);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    actionsRef.current = actions;
    runningRef.current = running;
  });

  useEffect(() => {
    let disposed = false;
    let editor: MonacoApi.editor.IStandaloneCodeEditor | undefined;
    void loadMonaco().then(async ({ monaco }) => {
      const model = await modelFor(monaco, tabId, language);
      if (disposed || !host.current) return;
      monacoRef.current = monaco;
      registerCompletion(monaco);
      editor = monaco.editor.create(host.current, {
        model,
        automaticLayout: true,
        minimap: { enabled: false },
        fontSize: 13,
        scrollBeyondLastLine: false,
        wordBasedSuggestions: 'off',
        tabSize: 2,
        renderLineHighlight: 'line',
        fixedOverflowWidgets: true,
        ariaLabel: 'SQL editor',
      });
      editorRef.current = editor;
      decorations.current = editor.createDecorationsCollection();
      const { KeyMod, KeyCode } = monaco;
      editor.addCommand(KeyMod.CtrlCmd | KeyCode.Enter, () => actionsRef.current.run('current'));
      editor.addCommand(KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.Enter, () => actionsRef.current.run('all'));
      editor.addCommand(KeyMod.Shift | KeyMod.Alt | KeyCode.KeyF, () => actionsRef.current.format());
      editor.addCommand(KeyCode.Escape, () => actionsRef.current.cancel(), '!suggestWidgetVisible && !findWidgetVisible');
      onReady({
        text: () => model.getValue(),
        selection: () => {
          const s = editor!.getSelection();
          if (!s || s.isEmpty()) return null;
          return { start: model.getOffsetAt(s.getStartPosition()), end: model.getOffsetAt(s.getEndPosition()) };
        },
        cursor: () => model.getOffsetAt(editor!.getPosition() ?? { lineNumber: 1, column: 1 }),
        replaceAll: (text) => {
          editor!.pushUndoStop();
          editor!.executeEdits('format', [{ range: model.getFullModelRange(), text }]);
          editor!.pushUndoStop();
        },
        focus: () => editor!.focus(),
      });
      setReady(true);
      editor.focus();
    });
    return () => {
      disposed = true;
      // The model stays (the tab may come back); only the view goes.
      editor?.dispose();
      editorRef.current = null;
    };
  }, [tabId, language, onReady]);

  useEffect(() => {
    if (ready) monacoRef.current?.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme, ready]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (ready && model && completion) setCompletionTarget(model, completion);
  }, [ready, completion]);

  // The statement being run is highlighted; an error is marked where the server placed it.
  useEffect(() => {
    const editor = editorRef.current;
    const monaco = monacoRef.current;
    const model = editor?.getModel();
    if (!editor || !monaco || !model) return;
    const range = (start: number, end: number) => {
      const a = model.getPositionAt(start);
      const b = model.getPositionAt(Math.max(end, start + 1));
      return new monaco.Range(a.lineNumber, a.column, b.lineNumber, b.column);
    };
    decorations.current?.set(current ? [{ range: range(current.start, current.end), options: { className: 'sql-running', isWholeLine: false } }] : []);
    monaco.editor.setModelMarkers(
      model,
      'cabinet',
      error ? [{ ...range(error.start, error.end), severity: monaco.MarkerSeverity.Error, message: error.message }].map((m) => ({
        startLineNumber: m.startLineNumber,
        startColumn: m.startColumn,
        endLineNumber: m.endLineNumber,
        endColumn: m.endColumn,
        severity: m.severity,
        message: m.message,
      })) : [],
    );
    if (error) editor.revealRangeInCenterIfOutsideViewport(range(error.start, error.end));
  }, [current, error, ready]);

  return (
    <div className="query-editor">
      <div className="query-editor__host" ref={host} />
      {!ready ? (
        <div className="muted-row query-editor__loading">
          <Spinner /> Loading the editor…
        </div>
      ) : null}
    </div>
  );
}
