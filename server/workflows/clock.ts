/** Where the workflow server reads the time: the system clock, or a test's clock moved by hand. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
