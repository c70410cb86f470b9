import assert from 'node:assert/strict';
import { workflowDiagram } from '../../../server/web/console/charts/workflow-diagram.js';
import type { Activity } from '../../../server/workflows/marketing/definition.js';
import { DRIP } from '../../workflows/marketing/drip-definition.js';

describe('workflow diagram (SVG)', () => {
  const svg = workflowDiagram({
    title: 'Welcome <series>',
    activities: DRIP,
    counts: { 'newSubscribers->welcome': 12, 'opened->reminder': 7 },
    href: (id) => `/workflows/3/activities/${id}`,
    flagged: new Set(['reminder']),
  });

  const CASES: Array<{ case: string; pattern: RegExp }> = [
    { case: 'an accessible name, escaped', pattern: /aria-label="Welcome &lt;series&gt;"[^>]*><title>Welcome &lt;series&gt;<\/title>/ },
    {
      case: 'a link to each activity form',
      pattern: /<a href="\/workflows\/3\/activities\/welcome" class="wf-node" data-activity="welcome"><title>welcome: delivery<\/title>/,
    },
    {
      case: 'the count of a transition on its arrow',
      pattern:
        /data-edge="newSubscribers-&gt;welcome"><title>newSubscribers → welcome: 12 recipient\(s\) in the last runs<\/title>.*?class="wf-count">12<\/text>/,
    },
    { case: 'the output name of a transition with its count', pattern: /class="wf-count">neither 7<\/text>/ },
    { case: 'an output without runs, named', pattern: /class="wf-count">opened<\/text>/ },
    { case: 'a flagged activity', pattern: /class="wf-box wf-delivery wf-flagged"/ },
  ];
  for (const c of CASES) it(`draws ${c.case}`, () => assert.match(svg, c.pattern));

  it('draws one box per activity and one arrow per transition', () => {
    assert.equal(svg.match(/<a href=/g)!.length, DRIP.length);
    assert.equal(svg.match(/class="wf-line"/g)!.length, 7);
  });

  it('draws a read-only diagram without links, and a draft whose target is missing without its arrow', () => {
    const draft: Activity[] = [{ id: 'go', type: 'start', next: 'nowhere' }];
    const plain = workflowDiagram({ title: 'draft', activities: draft });
    assert.doesNotMatch(plain, /<a /);
    assert.doesNotMatch(plain, /wf-line/);
    assert.match(plain, /<g class="wf-node" data-activity="go">/);
  });
});
