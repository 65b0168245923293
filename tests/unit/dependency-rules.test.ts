import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// design.md's dependency table, checked through the project's own lint configuration.
const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('dependency rules', () => {
  it.each([
    ['shared/x.ts', "import { readFileSync } from 'node:fs';"],
    ['shared/x.ts', "import React from 'react';"],
    ['electron/core/x.ts', "import { app } from 'electron';"],
    ['electron/core/drivers/x.ts', "import { App } from '../../../renderer/src/App.tsx';"],
    ['electron/web/x.ts', "import { ipcMain } from 'electron';"],
    ['electron/main/x.ts', "import { App } from '../../renderer/src/App.tsx';"],
    ['renderer/src/x.ts', "import { readFile } from 'fs/promises';"],
    ['renderer/src/x.ts', "import pg from 'pg';"],
    ['renderer/src/x.ts', "import { createCore } from '../../electron/core/core.ts';"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';"],
    // An allow-list, not a deny-list: packages nobody thought to forbid are refused too.
    ['shared/x.ts', "import { WebSocket } from 'ws';"],
    ['shared/x.ts', "import { x } from '../electron/core/x.ts';"],
    ['renderer/src/x.ts', "import { PGlite } from '@electric-sql/pglite';"],
    ['renderer/src/x.ts', "import { z } from 'zodiac';"],
  ])('%s may not: %s', async (file, source) => {
    expect(await restricted(file, `${source}\nexport {};\n`)).not.toEqual([]);
  });

  it.each([
    ['renderer/src/x.ts', "import type { Methods } from '../../shared/api.ts';"],
    ['renderer/src/x.ts', "import { createRoot } from 'react-dom/client';\nimport { create } from 'zustand';"],
    ['shared/x.ts', "import { z } from 'zod';\nimport { LIMITS } from './contract.ts';"],
    ['electron/core/x.ts', "import pg from 'pg';\nimport { join } from 'node:path';"],
    ['electron/main/x.ts', "import { app } from 'electron';\nimport { createCore } from '../core/core.ts';"],
    ['bench/x.ts', "import { createCore } from '../electron/core/core.ts';"],
  ])('%s may: %s', async (file, source) => {
    expect(await restricted(file, `${source}\nexport {};\n`)).toEqual([]);
  });
});
