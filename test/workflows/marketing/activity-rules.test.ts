import assert from 'node:assert/strict';
import { enrichmentValues, mailboxOf, splitDuplicates } from '../../../server/workflows/marketing/data-activities.js';
import { definitionProblems, draftProblems, isTimeZone, type Activity } from '../../../server/workflows/marketing/definition.js';
import { addActivity, removeActivity } from '../../../server/workflows/marketing/editing.js';
import { joinOf } from '../../../server/workflows/marketing/execute.js';
import { compileSchedule, joinSchedule, splitSchedule } from '../../../server/workflows/schedule.js';

const wf = (...activities: Activity[]) => ({ activities });
const go = (next: string): Activity => ({ id: 'go', type: 'start', next });
const end: Activity = { id: 'done', type: 'end' };

describe('rules of the editor’s activities (pure)', () => {
  describe('definitions of the new activities', () => {
    const VALID: Array<{ case: string; def: { activities: Activity[] } }> = [
      {
        case: 'a fork into two branches joined again',
        def: wf(
          go('f'),
          { id: 'f', type: 'fork', branches: ['a', 'b'] },
          { id: 'a', type: 'wait', duration: '1h', next: 'j' },
          { id: 'b', type: 'exclusion', where: { field: 'domain', op: 'eq', value: 'x.org' }, next: 'j' },
          { id: 'j', type: 'andJoin', next: 'done' },
          end,
        ),
      },
      { case: 'a signal entry', def: wf({ id: 'sig', type: 'signal', next: 'done' }, end) },
      { case: 'a scheduler with a time zone', def: wf({ id: 's', type: 'scheduler', cron: '0 9 * * 1', timezone: 'Europe/Paris', next: 'done' }, end) },
      {
        case: 'a deduplication by email with a duplicates output',
        def: wf(go('d'), { id: 'd', type: 'dedup', by: 'email', next: 'done', duplicates: 'done' }, end),
      },
      { case: 'an enrichment', def: wf(go('e'), { id: 'e', type: 'enrichment', csv: 'email,city\n', column: 'city', field: 'city', next: 'done' }, end) },
    ];
    for (const c of VALID) it(`accepts ${c.case}`, () => assert.deepEqual(definitionProblems(c.def), []));

    const INVALID: Array<{ case: string; def: unknown; problem: RegExp }> = [
      {
        case: 'a time zone that is not IANA',
        def: wf({ id: 's', type: 'scheduler', cron: '0 9 * * *', timezone: 'Mars/Olympus', next: 'done' }, end),
        problem: /timezone: expected an IANA time zone name/,
      },
      {
        case: 'a fork with one branch',
        def: wf(go('f'), { id: 'f', type: 'fork', branches: ['done'] }, end),
        problem: /branches: expected 2–10 different activity ids/,
      },
      {
        case: 'a fork with the same branch twice',
        def: wf(go('f'), { id: 'f', type: 'fork', branches: ['done', 'done'] }, end),
        problem: /branches: expected 2–10 different/,
      },
      {
        case: 'an and-join with one incoming transition',
        def: wf(go('j'), { id: 'j', type: 'andJoin', next: 'done' }, end),
        problem: /j: an and-join needs at least two transitions leading to it, found 1/,
      },
      { case: 'a deduplication by a bad key', def: wf(go('d'), { id: 'd', type: 'dedup', by: 'E-mail', next: 'done' }, end), problem: /by: expected "email"/ },
      {
        case: 'an enrichment into a bad field name',
        def: wf(go('e'), { id: 'e', type: 'enrichment', csv: 'email,x', column: 'x', field: 'City', next: 'done' }, end),
        problem: /field: expected a custom field name/,
      },
      {
        case: 'an enrichment without CSV',
        def: wf(go('e'), { id: 'e', type: 'enrichment', csv: '', column: 'x', field: 'x', next: 'done' }, end),
        problem: /csv: expected CSV text/,
      },
      {
        case: 'a signal and a start',
        def: wf(go('done'), { id: 'sig', type: 'signal', next: 'done' }, end),
        problem: /exactly one start, scheduler or signal activity, found 2/,
      },
      {
        case: 'an unreachable activity',
        def: wf(go('done'), end, { id: 'lost', type: 'end' }),
        problem: /activity "lost" cannot be reached from the entry "go"/,
      },
    ];
    for (const c of INVALID) it(`refuses ${c.case}, saying why`, () => assert.match(definitionProblems(c.def).join('\n'), c.problem));

    it('names a draft’s problems by activity id, a missing target as such', () => {
      assert.deepEqual(draftProblems(wf({ id: 'go', type: 'start' } as Activity, { id: 'w', type: 'wait', duration: 'soon' } as Activity)), [
        'go.next: missing target (link it to an activity)',
        'w.duration: expected a duration such as "3d", "12h" or "1d12h" (at most a year)',
        'w.next: missing target (link it to an activity)',
      ]);
    });
  });

  describe('time zones and schedules', () => {
    const ZONES: Array<[string, boolean]> = [
      ['Europe/Paris', true],
      ['America/Argentina/Buenos_Aires', true],
      ['UTC', true],
      ['Mars/Olympus', false],
      ['Europe/Paris; rm -rf', false],
      ['', false],
    ];
    for (const [zone, ok] of ZONES) it(`${ok ? 'accepts' : 'refuses'} the time zone "${zone}"`, () => assert.equal(isTimeZone(zone), ok));

    it('stores a Scheduler’s own time zone with its expression and reads it back', () => {
      assert.equal(joinSchedule('0 9 * * 1', 'Europe/Paris'), 'CRON_TZ=Europe/Paris 0 9 * * 1');
      assert.equal(joinSchedule('0 9 * * 1'), '0 9 * * 1');
      assert.deepEqual(splitSchedule('CRON_TZ=Europe/Paris 0 9 * * 1'), { expression: '0 9 * * 1', timezone: 'Europe/Paris' });
      assert.deepEqual(splitSchedule('*/5 * * * *'), { expression: '*/5 * * * *' });
    });

    it('fires 09:00 in Paris at 07:00 UTC in summer and 08:00 UTC in winter', () => {
      const { expression, timezone } = splitSchedule(joinSchedule('0 9 * * *', 'Europe/Paris'));
      const s = compileSchedule(expression, timezone);
      assert.equal(s.next(new Date('2026-07-01T00:00:00Z')).toISOString(), '2026-07-01T07:00:00.000Z');
      assert.equal(s.next(new Date('2026-12-01T00:00:00Z')).toISOString(), '2026-12-01T08:00:00.000Z');
    });
  });

  describe('deduplication', () => {
    const MAILBOXES: Array<[string, string]> = [
      ['Ann@Example.com', 'ann@example.com'],
      ['ann+news@example.com', 'ann@example.com'],
      ['a+b+c@x.org', 'a@x.org'],
      ['plain@x.org', 'plain@x.org'],
    ];
    for (const [email, box] of MAILBOXES) it(`reads ${email} as the mailbox ${box}`, () => assert.equal(mailboxOf(email), box));

    it('keeps the first of each key in population order; recipients without a key are never duplicates', () => {
      const keys: Record<number, string | null> = { 5: 'a', 3: 'b', 9: 'a', 1: null, 2: null, 7: 'b' };
      assert.deepEqual(
        splitDuplicates([5, 3, 9, 1, 2, 7], (id) => keys[id] ?? null),
        { kept: [5, 3, 1, 2], duplicates: [9, 7] },
      );
    });
  });

  describe('enrichment CSV', () => {
    const CASES: Array<{ case: string; csv: string; column: string; expect: Record<string, string> | RegExp }> = [
      { case: 'addresses in any case, blank values skipped', csv: 'email,city\nA@X.org,Paris\nb@x.org,\n', column: 'city', expect: { 'a@x.org': 'Paris' } },
      {
        case: 'a byte order mark, spaces and quoted commas',
        csv: '\uFEFFemail , city\n c@x.org , "Lyon, France" \n',
        column: 'city',
        expect: { 'c@x.org': 'Lyon, France' },
      },
      { case: 'a missing column', csv: 'email,town\na@x.org,Paris\n', column: 'city', expect: /no "city" column \(it has: email, town\)/ },
      { case: 'a row with too many cells', csv: 'email,city\na@x.org,Paris,extra\n', column: 'city', expect: /the CSV cannot be read: .*2/ },
    ];
    for (const c of CASES)
      it(`reads ${c.case}`, () => {
        if (c.expect instanceof RegExp) assert.throws(() => enrichmentValues(c.csv, c.column), c.expect);
        else assert.deepEqual(Object.fromEntries(enrichmentValues(c.csv, c.column)), c.expect);
      });
  });

  describe('and-join', () => {
    const def = wf(
      go('f'),
      { id: 'f', type: 'fork', branches: ['a', 'b'] },
      { id: 'a', type: 'update', action: 'addToList', list: 'l', next: 'j' },
      { id: 'b', type: 'update', action: 'addToList', list: 'm', next: 'j' },
      { id: 'j', type: 'andJoin', next: 'done' },
      end,
    );
    const CASES: Array<{ case: string; arrived: Array<[string, number[] | null]>; expect: number[] | null | undefined }> = [
      {
        case: 'every branch arrived: the recipients common to all, first branch order',
        arrived: [
          ['a', [4, 1, 2]],
          ['b', [2, 4, 9]],
        ],
        expect: [4, 2],
      },
      { case: 'a branch did not arrive: no firing', arrived: [['a', [1]]], expect: undefined },
      {
        case: 'a branch brought nobody: nobody',
        arrived: [
          ['a', [1]],
          ['b', []],
        ],
        expect: [],
      },
      {
        case: 'no population yet on every branch',
        arrived: [
          ['a', null],
          ['b', null],
        ],
        expect: null,
      },
    ];
    for (const c of CASES) it(c.case, () => assert.deepEqual(joinOf(def, 'j', new Map(c.arrived)), c.expect));
  });

  describe('editing a draft', () => {
    it('links a new activity after an output, and unlinks every transition to a removed one', () => {
      const base = wf(go('f'), { id: 'f', type: 'fork', branches: ['done', 'x'] }, { id: 'x', type: 'end' }, end);
      const added = addActivity(base, { id: 'y', type: 'end' }, { from: 'f', key: 'branch' });
      assert.deepEqual((added.activities[1] as { branches: string[] }).branches, ['done', 'x', 'y']);
      const removed = removeActivity(added, 'x');
      assert.deepEqual((removed.activities[1] as { branches: string[] }).branches, ['done', 'y']);
      assert.deepEqual(removeActivity(base, 'f').activities[0], { id: 'go', type: 'start' });
      assert.equal(base.activities.length, 4, 'the input is left as it was');
      assert.throws(() => addActivity(base, { id: 'x', type: 'end' }), /an activity "x" already exists/);
    });
  });
});
