import { useState } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Spinner } from '../../components/Icons.tsx';
import { useStore } from '../../store/index.ts';

/** Asks for a password the profile does not keep, or one the server refused. */
export function PasswordPrompt() {
  const profileId = useStore((s) => s.passwordPrompt?.profileId);
  return profileId ? <PasswordDialog key={profileId} /> : null;
}

function PasswordDialog() {
  const prompt = useStore((s) => s.passwordPrompt);
  const profile = useStore((s) => s.profiles.find((p) => p.id === s.passwordPrompt?.profileId));
  const close = useStore((s) => s.closePasswordPrompt);
  const openConnection = useStore((s) => s.openConnection);
  const connecting = useStore((s) => (prompt ? (s.connecting[prompt.profileId] ?? false) : false));
  const [password, setPassword] = useState('');

  if (!prompt) return null;
  const submit = () => {
    void openConnection(prompt.profileId, password);
  };

  return (
    <Dialog
      title={`Connect to ${profile?.name ?? 'database'}`}
      onClose={close}
      width={400}
      footer={
        <>
          {connecting ? <Spinner label="Connecting" /> : null}
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" form="password-prompt" className="button button--primary" disabled={connecting}>
            Connect
          </button>
        </>
      }
    >
      <form
        id="password-prompt"
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {profile ? (
          <p className="form__hint">
            {profile.user}@{profile.host}:{profile.port}
            {profile.database ? `/${profile.database}` : ''}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="prompt-password">Password</label>
          <input id="prompt-password" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        {prompt.error ? <ErrorMessage error={prompt.error} /> : null}
      </form>
    </Dialog>
  );
}
