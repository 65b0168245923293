import { join } from 'node:path';
import { describeIssues } from '../../../shared/contract.ts';
import { uiStateSchema, type UiState } from '../../../shared/ui-state.ts';
import { readCheckedJson, writeFileAtomic } from '../storage/atomic-file.ts';

function checkUiState(raw: unknown): { value: UiState; problems: string[] } {
  const parsed = uiStateSchema.safeParse(raw);
  return parsed.success ? { value: parsed.data, problems: [] } : { value: {}, problems: [describeIssues(parsed.error, 'its content')] };
}

/** `<dataDir>/ui-state.json`: one document, replaced whole on each save, one write at a time. */
export class UiStateStore {
  private readonly path: string;
  private loading: Promise<UiState> | undefined;
  private writes: Promise<unknown> = Promise.resolve();
  readonly notices: string[] = [];

  constructor(dataDir: string) {
    this.path = join(dataDir, 'ui-state.json');
  }

  load(): Promise<UiState> {
    this.loading ??= readCheckedJson(this.path, {}, checkUiState).then(({ value, notice }) => {
      if (notice) this.notices.push(notice);
      return value;
    });
    return this.loading;
  }

  async save(state: UiState): Promise<void> {
    const run = this.writes.then(async () => {
      await this.load();
      await writeFileAtomic(this.path, `${JSON.stringify(state)}\n`);
      this.loading = Promise.resolve(state);
    });
    this.writes = run.catch(() => undefined);
    await run;
  }
}
