import { v7 as uuidv7 } from 'uuid';

/** Row ids are UUIDv7: time-ordered for index locality. Never used as secrets (tokens are separate). */
export const newId = (): string => uuidv7();
