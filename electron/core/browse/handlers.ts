import type { browseMethods } from '../../../shared/browse.ts';
import type { Handlers } from '../router.ts';
import type { BrowseService } from './browse-service.ts';

/** The contract's browse methods, served by one BrowseService (core.ts closes its views with their client). */
export function createBrowseHandlers(browse: BrowseService): Handlers<keyof typeof browseMethods> {
  return {
    'browse/open': ({ connectionId, path }, context) => browse.open(context, connectionId, path),
    'browse/query': ({ viewId, sort, filters, where }, context) => browse.query(context, viewId, { sort, filters, where }),
    'browse/rows': ({ viewId, start, count }, context) => browse.rows(context, viewId, start, count),
    'browse/count': ({ viewId }, context) => browse.count(context, viewId),
    'browse/close': async ({ viewId }, context) => {
      browse.close(context, viewId);
      return {};
    },
    'browse/structure': ({ connectionId, path }, context) => browse.structure(context, connectionId, path),
  };
}
