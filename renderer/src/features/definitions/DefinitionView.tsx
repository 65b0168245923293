import { useEffect, useState } from 'react';
import type { CabinetErrorData } from '../../../../shared/errors.ts';
import { call } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Spinner } from '../../components/Icons.tsx';
import { useStore } from '../../store/index.ts';
import type { DefinitionTab } from '../workbench/tabsSlice.ts';

/** A function's or procedure's source, read-only, as the server returns it. */
export function DefinitionView({ tab }: { tab: DefinitionTab }) {
  const connectionId = useStore((s) => s.connections[tab.profileId]?.info.connectionId);
  // The answer is kept with the connection it came from: a reconnect reads the definition again.
  const [state, setState] = useState<{ connectionId?: string; text?: string; error?: CabinetErrorData }>({});

  useEffect(() => {
    if (!connectionId) return;
    let current = true;
    call('schema/definition', { connectionId, path: tab.path }).then(
      ({ text }) => current && setState({ connectionId, text }),
      (error: unknown) => current && setState({ connectionId, error: toErrorData(error) }),
    );
    return () => {
      current = false;
    };
  }, [connectionId, tab.path]);

  if (state.connectionId === connectionId && state.error) return <ErrorMessage error={state.error} />;
  if (state.connectionId !== connectionId || state.text === undefined) {
    return (
      <div className="muted-row">
        <Spinner /> Reading the definition…
      </div>
    );
  }
  return (
    <pre className="definition mono" aria-label={`Definition of ${tab.title}`} tabIndex={0}>
      {state.text}
    </pre>
  );
}
