import { useState, type KeyboardEvent } from 'react';
import { isMenuKey } from '../../components/ContextMenu.tsx';
import type { Profile } from '../../../../shared/profiles.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { CopyIcon, DisconnectIcon, EditIcon, PlugIcon, PlusIcon, Spinner, TrashIcon } from '../../components/Icons.tsx';
import { EngineBadge } from '../../components/EngineBadge.tsx';
import { useStore } from '../../store/index.ts';
import { connectionMenu } from '../commands/actions.ts';
import { profileColor } from './profileColors.ts';

export function ConnectionList() {
  const profiles = useStore((s) => s.profiles);
  const loaded = useStore((s) => s.profilesLoaded);
  const error = useStore((s) => s.profilesError);
  const openForm = useStore((s) => s.openForm);
  const refresh = useStore((s) => s.refreshProfiles);

  return (
    <section className="sidebar-section connections" aria-labelledby="connections-heading">
      <div className="section-header">
        <h2 id="connections-heading">Connections</h2>
        <button type="button" className="icon-button" aria-label="New connection" title="New connection" onClick={() => openForm({ mode: 'new' })}>
          <PlusIcon />
        </button>
      </div>
      {error ? (
        <div className="connections__error">
          <ErrorMessage error={error} />
          <button type="button" className="button button--small" onClick={() => void refresh()}>
            Retry
          </button>
        </div>
      ) : null}
      {!loaded ? (
        <div className="muted-row">
          <Spinner /> Loading connections…
        </div>
      ) : (
        <ul className="profile-list" aria-label="Connections">
          {profiles.map((p) => (
            <ProfileRow key={p.id} profile={p} />
          ))}
        </ul>
      )}
    </section>
  );
}

function endpoint(p: Profile): string {
  return `${p.host}:${p.port}${p.database ? `/${p.database}` : ''}`;
}

function ProfileRow({ profile }: { profile: Profile }) {
  const connection = useStore((s) => s.connections[profile.id]);
  const connecting = useStore((s) => s.connecting[profile.id] ?? false);
  const error = useStore((s) => s.connectErrors[profile.id]);
  const active = useStore((s) => s.activeProfileId === profile.id);
  const openConnection = useStore((s) => s.openConnection);
  const closeConnection = useStore((s) => s.closeConnection);
  const duplicateProfile = useStore((s) => s.duplicateProfile);
  const deleteProfile = useStore((s) => s.deleteProfile);
  const dismissError = useStore((s) => s.dismissConnectError);
  const openForm = useStore((s) => s.openForm);
  const setActive = useStore((s) => s.setActiveProfile);
  const openMenu = useStore((s) => s.openMenu);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const name = profile.name;
  const connected = connection !== undefined;
  const connect = () => {
    if (!connected && !connecting) void openConnection(profile.id);
  };
  const showMenu = (x: number, y: number) =>
    openMenu({ x, y, label: `Actions for ${name}`, entries: connectionMenu(useStore.getState(), profile.id) });

  // The list is reached with Tab; arrows move between connections, Enter connects, Delete asks to delete.
  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>) => {
    if (e.target !== e.currentTarget) return;
    const row = e.currentTarget;
    const sibling = (next: boolean) => (next ? row.nextElementSibling : row.previousElementSibling) as HTMLElement | null;
    if (e.key === 'Enter') {
      if (connected) setActive(profile.id);
      else connect();
    } else if (e.key === 'ArrowDown') sibling(true)?.focus();
    else if (e.key === 'ArrowUp') sibling(false)?.focus();
    else if (e.key === 'Delete' && !profile.builtIn) setConfirmDelete(true);
    else if (isMenuKey(e)) {
      const box = row.getBoundingClientRect();
      showMenu(box.left + 16, box.bottom - 4);
    } else return;
    e.preventDefault();
  };

  return (
    <li
      className={`profile-row${connected ? ' is-connected' : ''}${active && connected ? ' is-active' : ''}`}
      aria-label={name}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onDoubleClick={connect}
      onClick={() => connected && setActive(profile.id)}
      onContextMenu={(e) => {
        e.preventDefault();
        showMenu(e.clientX, e.clientY);
      }}
    >
      <div className="profile-row__main">
        <span className="color-dot" style={{ background: profileColor(profile) }} aria-hidden="true">
          {connected ? <span className={`color-dot__state color-dot__state--${connection.status}`} /> : null}
        </span>
        <div className="profile-row__text">
          <div className="profile-row__name" title={name}>
            {name}
          </div>
          {profile.builtIn ? (
            <div className="profile-row__endpoint">Built in: no server needed</div>
          ) : (
            <div className="profile-row__endpoint" title={endpoint(profile)}>
              {profile.user ? `${profile.user}@` : ''}
              {endpoint(profile)}
            </div>
          )}
        </div>
        {connecting ? <Spinner label={`Connecting to ${name}`} /> : <EngineBadge engine={profile.engine} />}
        <div className="profile-row__actions" onDoubleClick={(e) => e.stopPropagation()}>
          {connected ? (
            <button type="button" className="icon-button" aria-label={`Disconnect ${name}`} title="Disconnect" onClick={() => void closeConnection(profile.id)}>
              <DisconnectIcon />
            </button>
          ) : (
            <button type="button" className="icon-button" aria-label={`Connect ${name}`} title="Connect" disabled={connecting} onClick={connect}>
              <PlugIcon />
            </button>
          )}
          {!profile.builtIn ? (
            <>
              <button type="button" className="icon-button" aria-label={`Edit ${name}`} title="Edit" onClick={() => openForm({ mode: 'edit', profileId: profile.id })}>
                <EditIcon />
              </button>
              <button type="button" className="icon-button" aria-label={`Duplicate ${name}`} title="Duplicate" onClick={() => void duplicateProfile(profile.id)}>
                <CopyIcon />
              </button>
              <button type="button" className="icon-button icon-button--danger" aria-label={`Delete ${name}`} title="Delete" onClick={() => setConfirmDelete(true)}>
                <TrashIcon />
              </button>
            </>
          ) : null}
        </div>
      </div>
      {confirmDelete ? (
        <div className="profile-row__confirm" role="group" aria-label={`Confirm deleting ${name}`}>
          <span>Delete this connection?</span>
          <button
            type="button"
            className="button button--small button--danger"
            onClick={() => {
              setConfirmDelete(false);
              void deleteProfile(profile.id);
            }}
          >
            Delete
          </button>
          <button type="button" className="button button--small" onClick={() => setConfirmDelete(false)}>
            Cancel
          </button>
        </div>
      ) : null}
      {error ? <ErrorMessage className="profile-row__error" error={error} onDismiss={() => dismissError(profile.id)} /> : null}
    </li>
  );
}
