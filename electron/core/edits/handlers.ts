import type { editMethods } from '../../../shared/edits.ts';
import type { Handlers } from '../router.ts';
import { EditService, type EditServiceDeps } from './edit-service.ts';

/** The contract's row-editing methods: each call opens a session of its own and closes it. */
export function createEditHandlers(deps: EditServiceDeps): Handlers<keyof typeof editMethods> {
  const edits = new EditService(deps);
  return {
    'edits/preview': ({ connectionId, path, changes }) => edits.preview(connectionId, path, changes),
    'edits/apply': ({ connectionId, path, changes }, context) => edits.apply(connectionId, path, changes, context.signal),
  };
}
