/** Where repositories read "now"; tests pass a movable one. */
export type StoreClock = () => Date;

export const systemClock: StoreClock = () => new Date();

export const isoNow = (clock: StoreClock): string => clock().toISOString();
