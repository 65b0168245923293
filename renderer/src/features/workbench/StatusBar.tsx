import { EngineBadge } from '../../components/EngineBadge.tsx';
import { useStore } from '../../store/index.ts';
import { profileColor } from '../connections/profileColors.ts';

export function StatusBar() {
  const activeProfileId = useStore((s) => s.activeProfileId);
  const connection = useStore((s) => (s.activeProfileId ? s.connections[s.activeProfileId] : undefined));
  const profile = useStore((s) => s.profiles.find((p) => p.id === activeProfileId));
  const openCount = useStore((s) => Object.keys(s.connections).length);
  const appInfo = useStore((s) => s.appInfo);
  const transaction = useStore((s) => (s.activeTabId ? s.queries[s.activeTabId]?.transaction : undefined));

  return (
    <footer className="status-bar" aria-label="Status">
      {connection ? (
        <>
          <span className="status-bar__item status-bar__connection">
            <span className="color-dot color-dot--small" style={{ background: profile ? profileColor(profile) : undefined }} aria-hidden="true" />
            <span className="status-bar__name">{profile?.name ?? connection.info.name}</span>
          </span>
          <EngineBadge engine={connection.info.engine} long />
          <span className="status-bar__item" title={connection.info.serverVersion}>
            {connection.info.serverVersion}
          </span>
          <span className="status-bar__item mono">
            {connection.info.user}@{connection.info.host}:{connection.info.port}
            {connection.info.database ? `/${connection.info.database}` : ''}
          </span>
          {transaction && transaction !== 'idle' ? (
            <span className="status-bar__item status-bar__transaction">{transaction === 'failed' ? 'transaction failed' : 'transaction open'}</span>
          ) : null}
          {connection.info.readOnly ? <span className="status-bar__item status-bar__read-only">read-only</span> : null}
          {connection.status === 'lost' ? <span className="status-bar__item status-bar__lost">connection lost</span> : null}
        </>
      ) : (
        <span className="status-bar__item">Not connected</span>
      )}
      <span className="spacer" />
      {openCount > 1 ? <span className="status-bar__item">{openCount} connections open</span> : null}
      {appInfo ? (
        <span className="status-bar__item status-bar__muted">
          Cabinet {appInfo.version}
          {appInfo.mode === 'browser' ? ' · browser mode' : ''}
        </span>
      ) : null}
    </footer>
  );
}
