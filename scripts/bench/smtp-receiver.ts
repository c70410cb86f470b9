// A benchmark helper process: an SMTP server on 127.0.0.1:0 that notes when each recipient's message
// arrived (epoch ms). It sends {port} once listening and, when asked with 'report', {arrivals}.
import { once } from 'node:events';
import { SMTPServer } from 'smtp-server';

const arrivals: Record<string, number> = {};
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      const now = Date.now();
      for (const r of session.envelope.rcptTo) arrivals[r.address] ??= now;
      callback();
    });
  },
});
server.listen(0, '127.0.0.1');
await once(server.server, 'listening');
process.send!({ port: (server.server.address() as { port: number }).port });
process.on('message', (m) => {
  if (m === 'count') process.send!({ count: Object.keys(arrivals).length });
  if (m === 'report') process.send!({ arrivals }, () => server.close(() => process.exit(0)));
});
