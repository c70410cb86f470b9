import type { LogEvent } from '../../server/shared/log-events.js';
import type { Fields, Level, Logger } from '../../server/shared/logger.js';

export interface LoggedEvent {
  level: Level;
  event: LogEvent;
  fields: Fields;
}

/** A logger that keeps every event in memory (with its child fields), for tests that check what a module said. */
export function recordingLogger(events: LoggedEvent[] = [], base: Fields = {}): Logger & { events: LoggedEvent[] } {
  const emit =
    (level: Level) =>
    (event: LogEvent, fields: Fields = {}) =>
      void events.push({ level, event, fields: { ...base, ...fields } });
  return {
    events,
    error: emit('error'),
    warn: emit('warn'),
    info: emit('info'),
    debug: emit('debug'),
    child: (fields) => recordingLogger(events, { ...base, ...fields }),
    close: () => Promise.resolve(),
  };
}
