import assert from 'node:assert/strict';
import { barChart } from '../../../server/web/console/charts/bar-chart.js';
import { barList, partsBar } from '../../../server/web/console/charts/bar-list.js';
import { sparkline } from '../../../server/web/console/charts/sparkline.js';
import { esc, niceScale } from '../../../server/web/console/charts/svg.js';

const heights = (svg: string, cls: string) =>
  [...svg.matchAll(new RegExp(`<rect class="series-${cls}" x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"`, 'g'))].map((m) => Number(m[1]));
const widths = (svg: string) => [...svg.matchAll(/<rect class="series-[a-z]+" x="[^"]+" y="[^"]+" width="([^"]+)"/g)].map((m) => Number(m[1]));

describe('report charts (server-side SVG)', () => {
  it('draws bars in proportion to their values, with an accessible name', () => {
    const svg = barChart({ title: 'Opens per hour', categories: ['09:00', '10:00', '11:00'], series: [{ name: 'Opens', cls: 'a', values: [10, 20, 5] }] });
    assert.match(svg, /^<svg class="chart bars" viewBox="0 0 760 260" width="100%" role="img" aria-label="Opens per hour"/);
    const [a, b, c] = heights(svg, 'a');
    assert.ok(Math.abs(b! / a! - 2) < 0.02 && Math.abs(a! / c! - 2) < 0.02, `${a} ${b} ${c}`);
  });

  it('stacks series when asked, so each category reaches its total', () => {
    const svg = barChart({
      title: 't',
      categories: ['x'],
      stacked: true,
      series: [
        { name: 'sent', cls: 'ok', values: [30] },
        { name: 'failed', cls: 'bad', values: [10] },
      ],
    });
    assert.ok(Math.abs(heights(svg, 'ok')[0]! / heights(svg, 'bad')[0]! - 3) < 0.02);
  });

  it('escapes every label, title and tooltip (no markup or script from data)', () => {
    const evil = '<script>alert("x")</script>&';
    for (const svg of [
      barChart({ title: evil, categories: [evil], series: [{ name: evil, cls: '"><x', values: [1] }] }),
      barList(evil, [{ label: evil, value: 3, cls: 'a' }]),
      partsBar(evil, [{ label: evil, value: 1 }]),
    ]) {
      assert.doesNotMatch(svg, /<script|"><x/);
      assert.match(svg, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;&amp;/);
    }
  });

  it('draws empty and zero data without dividing by zero', () => {
    for (const svg of [
      barChart({ title: 't', categories: [], series: [] }),
      barList('t', [{ label: 'a', value: 0 }]),
      partsBar('t', [{ label: 'a', value: 0 }]),
    ])
      assert.doesNotMatch(svg, /NaN|Infinity/);
  });

  it('splits one bar into its parts', () => {
    const [sent, failed] = widths(
      partsBar('t', [
        { label: 'sent', value: 75, cls: 'ok' },
        { label: 'failed', value: 25, cls: 'bad' },
      ]),
    );
    assert.equal(sent! + failed!, 760);
    assert.equal(sent, 570);
  });

  it('chooses round axis scales', () => {
    const cases: Array<[number, { top: number; step: number }]> = [
      [0, { top: 1, step: 1 }],
      [7, { top: 8, step: 2 }],
      [95, { top: 100, step: 25 }],
      [1234, { top: 1500, step: 500 }],
      [0.3, { top: 0.3, step: 0.1 }],
    ];
    for (const [max, expected] of cases) {
      const got = niceScale(max);
      assert.deepEqual({ top: Math.round(got.top * 1000) / 1000, step: Math.round(got.step * 1000) / 1000 }, expected, String(max));
    }
    assert.equal(esc(`a'b`), 'a&#39;b');
  });

  it('draws a trend line through the days that have a value, scaled to its maximum, with an accessible name', () => {
    const path = (values: Array<number | null>) => /<path class="line" d="([^"]*)"/.exec(sparkline(values, 'x'))?.[1] ?? null;
    const cases: Array<[string, Array<number | null>, string | null]> = [
      ['a rising line', [0, 5, 10], 'M2 30L60 16L118 2'],
      ['a day without a value is skipped', [10, null, 10], 'M2 2L118 2'],
      ['a lone value shows as a short stroke', [null, 4, null], 'M60 2h1.5'],
      ['all zero lies on the base line', [0, 0], 'M2 30L118 30'],
      ['nothing to draw', [null, null], null],
    ];
    for (const [name, values, d] of cases) assert.equal(path(values), d, name);
    assert.match(sparkline([1, 2], 'Open rate <per day>'), /role="img" aria-label="Open rate &lt;per day&gt;"[^>]*><title>Open rate &lt;per day&gt;<\/title>/);
  });
});
