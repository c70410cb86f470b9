import { createTask, type ScheduledTask } from 'node-cron';

/**
 * The node-cron tasks of the started, scheduled workflows, kept in step with the database by
 * `sync`. A task only reports its slot (the time it was due) to `onFire`; whether and where the slot
 * runs is the engine's business. A slot node-cron itself missed (event loop blocked) asks for a
 * catch-up instead, which runs the latest missed slot once.
 */
export class CronTasks {
  private readonly tasks = new Map<string, { expression: string; timezone: string; task: ScheduledTask }>();

  constructor(
    /** The zone of schedules that name none. */
    private readonly timezone: string,
    private readonly onFire: (name: string, slot: Date) => void,
    private readonly onMissed: (name: string) => void,
  ) {}

  sync(desired: ReadonlyArray<{ name: string; expression: string; timezone?: string }>): void {
    const wanted = new Map(desired.map((d) => [d.name, { expression: d.expression, timezone: d.timezone || this.timezone }]));
    for (const [name, task] of this.tasks) {
      const want = wanted.get(name);
      if (want?.expression !== task.expression || want.timezone !== task.timezone) this.remove(name);
    }
    for (const [name, want] of wanted) if (!this.tasks.has(name)) this.add(name, want.expression, want.timezone);
  }

  names(): string[] {
    return [...this.tasks.keys()].sort();
  }

  clear(): void {
    for (const name of [...this.tasks.keys()]) this.remove(name);
  }

  private add(name: string, expression: string, timezone: string): void {
    const task = createTask(expression, (ctx) => void this.onFire(name, ctx.date), { name: `workflow:${name}`, timezone: timezone || undefined });
    task.on('execution:missed', () => this.onMissed(name));
    void task.start();
    this.tasks.set(name, { expression, timezone, task });
  }

  private remove(name: string): void {
    const entry = this.tasks.get(name);
    this.tasks.delete(name);
    void entry?.task.destroy();
  }
}
