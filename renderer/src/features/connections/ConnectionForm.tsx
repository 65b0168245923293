import { useState, type ReactNode } from 'react';
import type { MethodInput } from '../../../../shared/api.ts';
import { parseConnectionUrl } from '../../../../shared/connection-url.ts';
import { CabinetError, type CabinetErrorData } from '../../../../shared/errors.ts';
import { DEFAULT_PORTS, DEFAULT_USERS, PORT_MAX, PORT_MIN, SSL_MODES, type Engine, type Profile, type ProfileInput, type SslMode } from '../../../../shared/profiles.ts';
import { call } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Spinner } from '../../components/Icons.tsx';
import { useStore } from '../../store/index.ts';
import { PROFILE_COLORS } from './profileColors.ts';

interface FormValues {
  name: string;
  engine: Engine;
  host: string;
  port: string;
  user: string;
  password: string;
  database: string;
  sslMode: SslMode;
  sslRootCert: string;
  sslCert: string;
  sslKey: string;
  color: string;
  savePassword: boolean;
}

type Outcome =
  | { kind: 'busy'; text: string }
  | { kind: 'ok'; text: string }
  | { kind: 'error'; error: CabinetErrorData };

/** The TLS files a profile may name, with their form labels. */
const TLS_FILES = [
  { key: 'sslRootCert', id: 'cf-ssl-root-cert', label: 'CA certificate file' },
  { key: 'sslCert', id: 'cf-ssl-cert', label: 'Client certificate file' },
  { key: 'sslKey', id: 'cf-ssl-key', label: 'Client key file' },
] as const;

function initialValues(profile: Profile | undefined): FormValues {
  if (!profile) {
    return {
      name: '',
      engine: 'postgres',
      host: 'localhost',
      port: String(DEFAULT_PORTS.postgres),
      user: '',
      password: '',
      database: '',
      sslMode: 'prefer',
      sslRootCert: '',
      sslCert: '',
      sslKey: '',
      color: '',
      savePassword: true,
    };
  }
  return {
    name: profile.name,
    engine: profile.engine,
    host: profile.host,
    port: String(profile.port),
    user: profile.user,
    password: '',
    database: profile.database,
    sslMode: profile.sslMode,
    sslRootCert: profile.sslRootCert ?? '',
    sslCert: profile.sslCert ?? '',
    sslKey: profile.sslKey ?? '',
    color: profile.color ?? '',
    savePassword: profile.password === 'saved',
  };
}

/** The name a profile gets when none is typed: user@host/db. */
function defaultName(v: FormValues): string {
  const user = v.user || DEFAULT_USERS[v.engine];
  return `${user}@${v.host || 'localhost'}${v.database ? `/${v.database}` : ''}`;
}

/** Checks what the core cannot guess, and says which field is wrong. */
function toProfileInput(v: FormValues): ProfileInput {
  const port = Number(v.port);
  if (!/^\d+$/.test(v.port.trim()) || port < PORT_MIN || port > PORT_MAX) {
    throw new CabinetError({ code: 'BAD_INPUT', message: `The port "${v.port}" is not a number from ${PORT_MIN} to ${PORT_MAX}.` });
  }
  if (v.host.trim() === '') throw new CabinetError({ code: 'BAD_INPUT', message: 'The host is empty: type a host name or address.' });
  const input: ProfileInput = {
    name: v.name.trim() || defaultName(v),
    engine: v.engine,
    host: v.host.trim(),
    port,
    user: v.user.trim() || DEFAULT_USERS[v.engine],
    database: v.database.trim(),
    sslMode: v.sslMode,
  };
  // TLS files only matter when TLS may be used.
  if (v.sslMode !== 'disable') {
    for (const { key } of TLS_FILES) if (v[key].trim()) input[key] = v[key].trim();
  }
  if (v.color) input.color = v.color;
  return input;
}

export function ConnectionForm() {
  const request = useStore((s) => s.form);
  if (!request) return null;
  const key = request.mode === 'edit' ? request.profileId : 'new';
  return <ConnectionFormDialog key={key} profileId={request.mode === 'edit' ? request.profileId : undefined} />;
}

function ConnectionFormDialog({ profileId }: { profileId: string | undefined }) {
  const profile = useStore((s) => (profileId ? s.profiles.find((p) => p.id === profileId) : undefined));
  const canSavePasswords = useStore((s) => s.appInfo?.canSavePasswords ?? false);
  const closeForm = useStore((s) => s.closeForm);
  const saveProfile = useStore((s) => s.saveProfile);
  const openConnection = useStore((s) => s.openConnection);

  const [values, setValues] = useState<FormValues>(() => initialValues(profile));
  const [savedId, setSavedId] = useState<string | undefined>(profileId);
  const [url, setUrl] = useState('');
  const [urlError, setUrlError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const busy = outcome?.kind === 'busy';

  const update = <K extends keyof FormValues>(key: K, value: FormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const applyUrl = (text: string, showErrors: boolean) => {
    if (text.trim() === '') {
      setUrlError(null);
      return;
    }
    try {
      const parsed = parseConnectionUrl(text);
      setUrlError(null);
      setValues((v) => ({
        ...v,
        engine: parsed.engine,
        host: parsed.host,
        port: String(parsed.port),
        user: parsed.user,
        password: parsed.password ?? '',
        database: parsed.database,
        sslMode: parsed.sslMode,
        sslRootCert: parsed.sslRootCert ?? '',
        sslCert: parsed.sslCert ?? '',
        sslKey: parsed.sslKey ?? '',
      }));
    } catch (error) {
      // Half-typed text is not yet an error; a scheme (or leaving the field) makes it one.
      if (showErrors || text.includes('://')) setUrlError(toErrorData(error).message);
      else setUrlError(null);
    }
  };

  const changeEngine = (engine: Engine) => {
    setValues((v) => {
      const port = v.port === '' || v.port === String(DEFAULT_PORTS[v.engine]) ? String(DEFAULT_PORTS[engine]) : v.port;
      return { ...v, engine, port };
    });
  };

  const passwordToSend = (): string | undefined => (values.password !== '' ? values.password : undefined);

  const save = async (): Promise<Profile | null> => {
    let input: ProfileInput;
    try {
      input = toProfileInput(values);
    } catch (error) {
      setOutcome({ kind: 'error', error: toErrorData(error) });
      return null;
    }
    try {
      const request: Parameters<typeof saveProfile>[0] = { profile: input };
      if (savedId) request.id = savedId;
      const password = passwordToSend();
      if (password !== undefined) request.password = password;
      if (canSavePasswords) request.savePassword = values.savePassword;
      const saved = await saveProfile(request);
      setSavedId(saved.id);
      return saved;
    } catch (error) {
      setOutcome({ kind: 'error', error: toErrorData(error) });
      return null;
    }
  };

  const onTest = async () => {
    let params: ProfileInput;
    try {
      params = toProfileInput(values);
    } catch (error) {
      setOutcome({ kind: 'error', error: toErrorData(error) });
      return;
    }
    setOutcome({ kind: 'busy', text: 'Testing…' });
    try {
      const input: MethodInput<'connections/test'> = { params };
      const password = passwordToSend();
      if (password !== undefined) input.password = password;
      if (savedId) input.profileId = savedId;
      const result = await call('connections/test', input);
      setOutcome({ kind: 'ok', text: `Connected: ${result.serverVersion} (${Math.round(result.elapsedMs)} ms)` });
    } catch (error) {
      setOutcome({ kind: 'error', error: toErrorData(error) });
    }
  };

  const onSave = async () => {
    setOutcome({ kind: 'busy', text: 'Saving…' });
    const saved = await save();
    if (saved) closeForm();
  };

  const onConnect = async () => {
    setOutcome({ kind: 'busy', text: 'Connecting…' });
    const saved = await save();
    if (!saved) return;
    const result = await openConnection(saved.id, passwordToSend(), { reportToCaller: true });
    if (result.ok || 'prompted' in result) closeForm();
    else setOutcome({ kind: 'error', error: result.error });
  };

  const editing = profileId !== undefined;
  const storedPassword = profile && (profile.password === 'saved' || profile.password === 'session');

  return (
    <Dialog
      title={editing ? 'Edit connection' : 'New connection'}
      onClose={closeForm}
      width={560}
      footer={
        <>
          <button type="button" className="button" disabled={busy} onClick={() => void onTest()}>
            Test
          </button>
          <span className="spacer" />
          <button type="button" className="button" onClick={closeForm}>
            Cancel
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => void onSave()}>
            Save
          </button>
          <button type="submit" form="connection-form" className="button button--primary" disabled={busy}>
            Connect
          </button>
        </>
      }
    >
      <form
        id="connection-form"
        className="form"
        autoComplete="off"
        onSubmit={(e) => {
          e.preventDefault();
          void onConnect();
        }}
      >
        <Field id="cf-url" label="Connection URL" wide>
          <input
            id="cf-url"
            className="mono"
            type="text"
            spellCheck={false}
            placeholder="postgres://user:password@localhost:5432/app"
            value={url}
            aria-invalid={urlError ? true : undefined}
            aria-describedby={urlError ? 'cf-url-error' : undefined}
            onChange={(e) => {
              setUrl(e.target.value);
              applyUrl(e.target.value, false);
            }}
            onBlur={() => applyUrl(url, true)}
          />
          {urlError ? (
            <div id="cf-url-error" className="field__error" role="alert">
              {urlError}
            </div>
          ) : (
            <div className="field__hint">Paste a DATABASE_URL to fill the fields below.</div>
          )}
        </Field>

        <div className="form__divider" />

        <div className="form__grid">
          <Field id="cf-name" label="Name" wide>
            <input id="cf-name" type="text" placeholder={defaultName(values)} value={values.name} onChange={(e) => update('name', e.target.value)} />
          </Field>
          <Field id="cf-engine" label="Engine">
            <select id="cf-engine" value={values.engine} onChange={(e) => changeEngine(e.target.value as Engine)}>
              <option value="postgres">PostgreSQL</option>
              <option value="mysql">MySQL/MariaDB</option>
            </select>
          </Field>
          <Field id="cf-ssl" label="SSL mode">
            <select id="cf-ssl" value={values.sslMode} onChange={(e) => update('sslMode', e.target.value as SslMode)}>
              {SSL_MODES.map((mode) => (
                <option key={mode} value={mode}>
                  {mode}
                </option>
              ))}
            </select>
          </Field>
          <Field id="cf-host" label="Host" className="field--host">
            <input id="cf-host" type="text" spellCheck={false} value={values.host} onChange={(e) => update('host', e.target.value)} />
          </Field>
          <Field id="cf-port" label="Port" className="field--port">
            <input id="cf-port" type="text" inputMode="numeric" value={values.port} onChange={(e) => update('port', e.target.value)} />
          </Field>
          <Field id="cf-user" label="User">
            <input
              id="cf-user"
              type="text"
              spellCheck={false}
              placeholder={DEFAULT_USERS[values.engine]}
              value={values.user}
              onChange={(e) => update('user', e.target.value)}
            />
          </Field>
          <Field id="cf-password" label="Password">
            <input
              id="cf-password"
              type="password"
              autoComplete="new-password"
              placeholder={storedPassword ? 'Stored: leave empty to keep' : profile?.password === 'ask' ? 'Asked when connecting' : ''}
              value={values.password}
              onChange={(e) => update('password', e.target.value)}
            />
          </Field>
          <Field id="cf-database" label="Database" wide>
            <input id="cf-database" type="text" spellCheck={false} value={values.database} onChange={(e) => update('database', e.target.value)} />
          </Field>
          {values.sslMode !== 'disable'
            ? TLS_FILES.map(({ key, id, label }) => (
                <Field key={key} id={id} label={label} wide>
                  <input
                    id={id}
                    className="mono"
                    type="text"
                    spellCheck={false}
                    placeholder="Path to a PEM file on the machine running Cabinet (optional)"
                    value={values[key]}
                    onChange={(e) => update(key, e.target.value)}
                  />
                </Field>
              ))
            : null}
        </div>

        {canSavePasswords ? (
          <label className="checkbox">
            <input type="checkbox" checked={values.savePassword} onChange={(e) => update('savePassword', e.target.checked)} />
            Save password
          </label>
        ) : (
          <p className="form__hint">Passwords are kept in memory for this session only.</p>
        )}

        <fieldset className="swatches">
          <legend>Colour</legend>
          <label className="swatch swatch--none" title="Engine colour">
            <input type="radio" name="cf-color" aria-label="Engine colour" checked={values.color === ''} onChange={() => update('color', '')} />
            <span />
          </label>
          {PROFILE_COLORS.map((c) => (
            <label key={c.value} className="swatch" title={c.name}>
              <input type="radio" name="cf-color" aria-label={c.name} checked={values.color === c.value} onChange={() => update('color', c.value)} />
              <span style={{ background: c.value }} />
            </label>
          ))}
        </fieldset>

        <div className="form__outcome">
          {outcome?.kind === 'busy' ? (
            <div className="outcome outcome--busy" role="status">
              <Spinner /> {outcome.text}
            </div>
          ) : null}
          {outcome?.kind === 'ok' ? (
            <div className="outcome outcome--ok" role="status">
              {outcome.text}
            </div>
          ) : null}
          {outcome?.kind === 'error' ? <ErrorMessage error={outcome.error} /> : null}
        </div>
      </form>
    </Dialog>
  );
}

function Field({ id, label, children, wide, className }: { id: string; label: string; children: ReactNode; wide?: boolean; className?: string }) {
  return (
    <div className={`field${wide ? ' field--wide' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}
