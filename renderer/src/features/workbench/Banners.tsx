import { call } from '../../api/client.ts';
import { WarningIcon } from '../../components/Icons.tsx';
import { useState } from 'react';
import { useStore } from '../../store/index.ts';

const NO_NOTICES: string[] = [];

/** What needs a person's attention across the whole window: the core, the demo, lost connections. */
export function Banners() {
  const transport = useStore((s) => s.transport);
  const demoBusy = useStore((s) => s.demoBusy);
  const connections = useStore((s) => s.connections);
  const profiles = useStore((s) => s.profiles);
  const openConnection = useStore((s) => s.openConnection);
  const connecting = useStore((s) => s.connecting);
  const lost = Object.entries(connections).filter(([, c]) => c.status === 'lost');
  const notices = useStore((s) => s.appInfo?.notices ?? NO_NOTICES);
  const [dismissed, setDismissed] = useState<string[]>([]);

  return (
    <div className="banners">
      {transport === 'restarted' ? (
        <div className="banner banner--error" role="alert">
          <WarningIcon />
          <span>
            Cabinet was restarted, with a new access token: open the address it printed in its terminal ({location.origin}/?token=…).
          </span>
        </div>
      ) : null}
      {transport === 'reconnecting' ? (
        <div className="banner banner--error" role="alert">
          <WarningIcon />
          <span>Lost contact with Cabinet&apos;s core — reconnecting…</span>
        </div>
      ) : null}
      {notices
        .filter((notice) => !dismissed.includes(notice))
        .map((notice) => (
          <div key={notice} className="banner banner--warning" role="alert">
            <WarningIcon />
            <span>{notice}</span>
            <button type="button" className="button button--small" onClick={() => setDismissed((d) => [...d, notice])}>
              Dismiss
            </button>
          </div>
        ))}
      {demoBusy ? (
        <div className="banner banner--warning" role="status">
          <WarningIcon />
          <span>{demoBusy}</span>
          <button type="button" className="button button--small" onClick={() => void call('demo/release', {})}>
            Roll back the other connection
          </button>
        </div>
      ) : null}
      {lost.map(([profileId, c]) => {
        const name = profiles.find((p) => p.id === profileId)?.name ?? c.info.name;
        return (
          <div key={profileId} className="banner banner--error" role="alert">
            <WarningIcon />
            <span>
              The connection to <strong>{name}</strong> was lost{c.message ? `: ${c.message}` : '.'}
            </span>
            <button
              type="button"
              className="button button--small"
              disabled={connecting[profileId] ?? false}
              onClick={() => void openConnection(profileId)}
            >
              Reconnect
            </button>
          </div>
        );
      })}
    </div>
  );
}
