import type { historyMethods } from '../../../shared/history.ts';
import type { Handlers } from '../router.ts';
import type { HistoryStore } from './history-store.ts';
import type { SavedQueries } from './saved-queries.ts';

export function createHistoryHandlers(history: HistoryStore, queries: SavedQueries): Handlers<keyof typeof historyMethods> {
  return {
    'history/search': async ({ text, profileId, limit }) => ({ entries: await history.search(text, profileId, limit) }),
    'history/clear': async () => {
      await history.clear();
      return {};
    },
    'queries/list': async () => ({ folder: queries.folder, queries: await queries.list() }),
    'queries/read': async ({ name }) => ({ name, text: await queries.read(name) }),
    'queries/save': ({ name, text }) => queries.save(name, text),
    'queries/delete': async ({ name }) => {
      await queries.remove(name);
      return {};
    },
  };
}
