// The CLI's structured log: pino, JSON lines on stderr (stdout is kept for the sentences people read).
import { destination, pino, type Logger } from 'pino';

export function cliLogger(name = 'vibesync'): Logger {
  return pino({ name, level: process.env.VIBESYNC_LOG_LEVEL ?? 'info' }, destination({ fd: 2, sync: true }));
}
