import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One variable of a `.env` file (`KEY=value`, `export KEY="value"`, `# comments`); undefined when absent. */
export async function readDotenvValue(dir: string, key: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, '.env'), 'utf8');
  } catch {
    return undefined;
  }
  let value: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([\w.]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || match[1] !== key) continue;
    const raw = match[2]!;
    const quoted = /^(["'])(.*)\1$/.exec(raw);
    value = quoted ? quoted[2]! : raw.replace(/\s+#.*$/, '');
  }
  return value;
}
