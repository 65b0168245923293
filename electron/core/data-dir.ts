import { homedir } from 'node:os';
import { join } from 'node:path';

/** The app's data folder: CABINET_DATA_DIR, else the platform's usual place (the same one Electron's userData uses). */
export function defaultDataDir(): string {
  if (process.env.CABINET_DATA_DIR) return process.env.CABINET_DATA_DIR;
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Cabinet');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Cabinet');
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Cabinet');
}
