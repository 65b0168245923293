import type { ExportProgress, exportMethods } from '../../../shared/exports.ts';
import type { Endpoint } from '../connections/connector.ts';
import type { EmitTo, Handlers, Log } from '../router.ts';
import { ExportService } from './export-service.ts';

export interface ExportHandlerDeps {
  endpointFor(connectionId: string, database?: string): Endpoint;
  isDemo(connectionId: string): boolean;
  emitTo: EmitTo;
  log?: Log;
}

/** The contract's export methods, each acting for the client that calls it; progress goes to that client only. */
export function createExportHandlers(deps: ExportHandlerDeps): Handlers<keyof typeof exportMethods> {
  const exports = new ExportService({
    endpointFor: deps.endpointFor,
    isDemo: deps.isDemo,
    progress: (clientId: string, progress: ExportProgress) => deps.emitTo(clientId, 'exports/progress', progress),
    log: deps.log,
  });
  return {
    'exports/start': (input, context) => exports.start(context, input),
    'exports/cancel': ({ exportId }, context) => exports.cancel(context, exportId),
    'exports/status': async ({ exportId }, context) => exports.status(context, exportId),
  };
}
