import { createTask, type ScheduledTask } from 'node-cron';
import { splitSchedule } from './schedule.js';

/**
 * The node-cron tasks of the started, scheduled workflows, kept in step with the database by
 * `sync`. A task only reports its slot (the time it was due) to `onFire`; whether and where the slot
 * runs is the engine's business. A slot node-cron itself missed (event loop blocked) asks for a
 * catch-up instead, which runs the latest missed slot once.
 */
export class CronTasks {
  private readonly tasks = new Map<string, { expression: string; task: ScheduledTask }>();

  constructor(
    private readonly timezone: string,
    private readonly onFire: (name: string, slot: Date) => void,
    private readonly onMissed: (name: string) => void,
  ) {}

  sync(desired: ReadonlyArray<{ name: string; expression: string }>): void {
    const wanted = new Map(desired.map((d) => [d.name, d.expression]));
    for (const [name, { expression }] of this.tasks) if (wanted.get(name) !== expression) this.remove(name);
    for (const [name, expression] of wanted) if (!this.tasks.has(name)) this.add(name, expression);
  }

  names(): string[] {
    return [...this.tasks.keys()].sort();
  }

  clear(): void {
    for (const name of [...this.tasks.keys()]) this.remove(name);
  }

  private add(name: string, expression: string): void {
    // a stored schedule may carry its own time zone (CRON_TZ=…), else the engine's applies
    const own = splitSchedule(expression);
    const timezone = own.timezone ?? (this.timezone || undefined);
    const task = createTask(own.expression, (ctx) => void this.onFire(name, ctx.date), { name: `workflow:${name}`, timezone });
    task.on('execution:missed', () => this.onMissed(name));
    void task.start();
    this.tasks.set(name, { expression, task });
  }

  private remove(name: string): void {
    const entry = this.tasks.get(name);
    this.tasks.delete(name);
    void entry?.task.destroy();
  }
}
