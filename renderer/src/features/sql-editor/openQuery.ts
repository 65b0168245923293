import { useStore } from '../../store/index.ts';
import { seedText } from './editorModels.ts';

/** Opens a new query tab holding `text`, on the given connection or the active one. False when none is open. */
export function openQueryWithText(text: string, profileId?: string): boolean {
  const store = useStore.getState();
  const target = profileId && profileId in store.connections ? profileId : store.activeProfileId;
  if (!target || !(target in store.connections)) return false;
  const id = store.openQueryTab(target);
  seedText(id, text);
  return true;
}
