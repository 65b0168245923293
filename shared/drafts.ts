/** A query tab's text, kept as typed (unsaved), so it survives a reload or a restart. */
import { z } from 'zod';
import { method } from './contract.ts';

/** A draft's id: the tab's own, made by the renderer. */
const draftId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: () => 'a draft id is 1 to 64 letters, digits, _ or -' });

export const draftMethods = {
  'drafts/load': method<{ text: string | null }>()(z.strictObject({ id: draftId })),
  'drafts/save': method<Record<string, never>>()(z.strictObject({ id: draftId, text: z.string().max(16 * 1024 * 1024) })),
  'drafts/delete': method<Record<string, never>>()(z.strictObject({ id: draftId })),
};
