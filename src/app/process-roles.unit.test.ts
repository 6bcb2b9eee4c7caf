import { describe, expect, it } from 'vitest';
import { LeadbridgeError } from '../shared/index.js';
import { parseProcessRoles } from './process-roles.js';

describe('parseProcessRoles: `serve --role`', () => {
  it.each([
    [undefined, ['api', 'worker', 'scheduler']],
    [[], ['api', 'worker', 'scheduler']],
    [['worker'], ['worker']],
    [['api,worker'], ['api', 'worker']],
    [
      ['scheduler', 'api'],
      ['api', 'scheduler'],
    ],
    [[' worker , worker', 'worker'], ['worker']],
  ])('%j → %j', (given, roles) => {
    expect(parseProcessRoles(given)).toEqual(roles);
  });

  it.each([[['web']], [['api,']], [['']], [['API']]])(
    '%j is refused, naming the roles there are',
    (given) => {
      let error: unknown;
      try {
        parseProcessRoles(given);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(LeadbridgeError);
      expect((error as LeadbridgeError).code).toBe('invalid_roles');
      expect((error as LeadbridgeError).message).toMatch(/use api, worker, scheduler/);
    },
  );
});
