// Contract handlers for app.*: each one line into the app service.
import type { appCalls } from '../../contract/app.ts';
import { OK, type DomainHandlers } from '../rpc.ts';
import type { AppService } from './service.ts';

export function appHandlers(app: AppService): DomainHandlers<typeof appCalls> {
  return {
    'app.info': () => app.info(),
    'app.openExternal': async ({ url }) => (await app.openExternal(url), OK),
    'app.dismissNotice': ({ id }) => (app.dismissNotice(id), OK),
    'app.openDataDir': async () => (await app.openDataDir(), OK),
  };
}
