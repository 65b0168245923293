import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Electron executable when its binary is installed, otherwise undefined. */
export function electronBinary() {
  const dir = join('node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}
