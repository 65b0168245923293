import { useState, type ReactNode } from 'react';
import type { MethodInput } from '../../../../shared/api.ts';
import { absolutePathSchema } from '../../../../shared/contract.ts';
import { parseConnectionUrl } from '../../../../shared/connection-url.ts';
import { CabinetError, type CabinetErrorData } from '../../../../shared/errors.ts';
import { DEFAULT_PORTS, DEFAULT_USERS, PORT_MAX, PORT_MIN, SSL_MODES, type Engine, type Profile, type ProfileInput, type SslMode } from '../../../../shared/profiles.ts';
import { call } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Spinner } from '../../components/Icons.tsx';
import { useStore } from '../../store/index.ts';
import { FolderField } from '../migrations/FolderField.tsx';
import { PROFILE_COLORS } from './profileColors.ts';

interface FormValues {
  name: string;
  engine: Engine;
  host: string;
  port: string;
  user: string;
  password: string;
  /** The password is empty on purpose (a root user without one): nothing stored is used. */
  emptyPassword: boolean;
  /** The stored password is to be forgotten: it is not used for Test, and Save removes it. */
  forgetPassword: boolean;
  database: string;
  sslMode: SslMode;
  sslRootCert: string;
  sslCert: string;
  sslKey: string;
  color: string;
  savePassword: boolean;
  readOnly: boolean;
  /** An absolute path on the machine running Cabinet; empty when none is attached. */
  migrationsDir: string;
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
      emptyPassword: false,
      forgetPassword: false,
      database: '',
      sslMode: 'prefer',
      sslRootCert: '',
      sslCert: '',
      sslKey: '',
      color: '',
      savePassword: true,
      readOnly: false,
      migrationsDir: '',
    };
  }
  return {
    name: profile.name,
    engine: profile.engine,
    host: profile.host,
    port: String(profile.port),
    user: profile.user,
    password: '',
    emptyPassword: false,
    forgetPassword: false,
    database: profile.database,
    sslMode: profile.sslMode,
    sslRootCert: profile.sslRootCert ?? '',
    sslCert: profile.sslCert ?? '',
    sslKey: profile.sslKey ?? '',
    color: profile.color ?? '',
    savePassword: profile.password === 'saved',
    readOnly: profile.readOnly === true,
    migrationsDir: profile.migrationsDir ?? '',
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
  if (v.readOnly) input.readOnly = true;
  const migrationsDir = v.migrationsDir.trim();
  if (migrationsDir) {
    if (!absolutePathSchema.safeParse(migrationsDir).success) {
      throw new CabinetError({ code: 'BAD_INPUT', message: `The migrations folder "${migrationsDir}" is not an absolute path, such as /home/me/app/migrations.` });
    }
    input.migrationsDir = migrationsDir;
  }
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

  /** A URL that parses fills the fields; one that does not leaves them and names what is wrong. */
  const applyUrl = (text: string) => {
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
        emptyPassword: false,
        database: parsed.database,
        sslMode: parsed.sslMode,
        sslRootCert: parsed.sslRootCert ?? '',
        sslCert: parsed.sslCert ?? '',
        sslKey: parsed.sslKey ?? '',
      }));
    } catch (error) {
      setUrlError(toErrorData(error).message);
    }
  };

  const changeEngine = (engine: Engine) => {
    setValues((v) => {
      const port = v.port === '' || v.port === String(DEFAULT_PORTS[v.engine]) ? String(DEFAULT_PORTS[engine]) : v.port;
      return { ...v, engine, port };
    });
  };

  const storedPassword = profile !== undefined && (profile.password === 'saved' || profile.password === 'session');
  /** What Test and Connect send: the typed password, '' on purpose, or nothing (the stored one is used). */
  const passwordToSend = (): string | undefined => {
    if (values.emptyPassword) return '';
    if (values.password !== '') return values.password;
    return values.forgetPassword ? '' : undefined;
  };
  /** What Save sends: a new password, '' (none needed), null (forget the stored one), or undefined (keep it). */
  const passwordToSave = (): string | null | undefined => {
    if (values.emptyPassword) return '';
    if (values.password !== '') return values.password;
    return values.forgetPassword ? null : undefined;
  };

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
      const password = passwordToSave();
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

  const testConnection = async (): Promise<boolean> => {
    let params: ProfileInput;
    try {
      params = toProfileInput(values);
    } catch (error) {
      setOutcome({ kind: 'error', error: toErrorData(error) });
      return false;
    }
    try {
      const { name: _name, color: _color, readOnly: _readOnly, migrationsDir: _migrationsDir, ...connection } = params;
      const input: MethodInput<'connections/test'> = { params: connection };
      const password = passwordToSend();
      if (password !== undefined) input.password = password;
      else if (savedId) input.profileId = savedId;
      const result = await call('connections/test', input);
      setOutcome({ kind: 'ok', text: `Connected: ${result.serverVersion} (${Math.round(result.elapsedMs)} ms)` });
      return true;
    } catch (error) {
      setOutcome({ kind: 'error', error: toErrorData(error) });
      return false;
    }
  };

  const onTest = async () => {
    setOutcome({ kind: 'busy', text: 'Testing…' });
    await testConnection();
  };

  const onSave = async () => {
    setOutcome({ kind: 'busy', text: 'Saving…' });
    const saved = await save();
    if (saved) closeForm();
  };

  /** Connects with what the form holds; the profile is saved only once that worked. */
  const onConnect = async () => {
    setOutcome({ kind: 'busy', text: 'Connecting…' });
    if (!(await testConnection())) return;
    const saved = await save();
    if (!saved) return;
    const result = await openConnection(saved.id, passwordToSend(), { reportToCaller: true });
    if (result.ok || 'prompted' in result) closeForm();
    else setOutcome({ kind: 'error', error: result.error });
  };

  const editing = profileId !== undefined;
  // Nothing may be tested, saved or opened while the URL field holds text that does not parse.
  const blocked = busy || urlError !== null;

  return (
    <Dialog
      title={editing ? 'Edit connection' : 'New connection'}
      onClose={closeForm}
      width={560}
      footer={
        <>
          <button type="button" className="button" disabled={blocked} onClick={() => void onTest()}>
            Test
          </button>
          <span className="spacer" />
          <button type="button" className="button" onClick={closeForm}>
            Cancel
          </button>
          <button type="button" className="button" disabled={blocked} onClick={() => void onSave()}>
            Save
          </button>
          <button type="submit" form="connection-form" className="button button--primary" disabled={blocked}>
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
          if (!blocked) void onConnect();
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
              applyUrl(e.target.value);
            }}
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
              disabled={values.emptyPassword}
              placeholder={values.emptyPassword ? 'Empty' : profile?.password === 'ask' && !values.forgetPassword ? 'Asked when connecting' : ''}
              aria-describedby="cf-password-note"
              value={values.password}
              onChange={(e) => update('password', e.target.value)}
            />
            <div id="cf-password-note" className="field__hint">
              {values.emptyPassword
                ? 'No password will be sent.'
                : values.password !== ''
                  ? storedPassword && !values.forgetPassword
                    ? 'Replaces the stored password when saved.'
                    : null
                  : storedPassword && !values.forgetPassword
                    ? 'The stored password will be used.'
                    : storedPassword
                      ? 'The stored password will be forgotten when you save.'
                      : null}
            </div>
            <div className="field__row">
              <label className="checkbox checkbox--small">
                <input
                  type="checkbox"
                  checked={values.emptyPassword}
                  onChange={(e) => setValues((v) => ({ ...v, emptyPassword: e.target.checked, password: e.target.checked ? '' : v.password }))}
                />
                Empty password
              </label>
              {storedPassword && !values.forgetPassword && !values.emptyPassword ? (
                <button type="button" className="link-button" onClick={() => update('forgetPassword', true)}>
                  Forget saved password
                </button>
              ) : null}
            </div>
          </Field>
          <Field id="cf-database" label="Database" wide>
            <input id="cf-database" type="text" spellCheck={false} value={values.database} onChange={(e) => update('database', e.target.value)} />
          </Field>
          {values.sslMode !== 'disable' ? (
            <details className="form__more field--wide" open={TLS_FILES.some(({ key }) => values[key] !== '') || values.sslMode.startsWith('verify')}>
              <summary>TLS certificate files</summary>
              {TLS_FILES.map(({ key, id, label }) => (
                <Field key={key} id={id} label={label} wide>
                  <input
                    id={id}
                    className="mono"
                    type="text"
                    spellCheck={false}
                    placeholder="Absolute path to a PEM file on the machine running Cabinet"
                    value={values[key]}
                    onChange={(e) => update(key, e.target.value)}
                  />
                </Field>
              ))}
            </details>
          ) : null}
          <Field id="cf-migrations-dir" label="Migrations folder" wide>
            <FolderField id="cf-migrations-dir" value={values.migrationsDir} onChange={(path) => update('migrationsDir', path)} />
          </Field>
        </div>

        {canSavePasswords ? (
          <label className="checkbox">
            <input type="checkbox" checked={values.savePassword} onChange={(e) => update('savePassword', e.target.checked)} />
            Save password
          </label>
        ) : (
          <p className="form__hint">Passwords are kept in memory for this session only.</p>
        )}

        <label className="checkbox">
          <input type="checkbox" checked={values.readOnly} onChange={(e) => update('readOnly', e.target.checked)} />
          Read-only
          <span className="form__hint">Sessions start read-only; the grid offers no edits.</span>
        </label>

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
