import assert from 'node:assert/strict';
import { darkPreview, oneOf, PREVIEW_SCHEMES, PREVIEW_VIEWS } from '../../../server/web/console/preview-scheme.js';

describe('preview in dark mode: the content’s dark rules applied, its light-only rules not', () => {
  const cases: Array<[string, string, string]> = [
    [
      'a dark rule always applies',
      '<html><head><style>@media (prefers-color-scheme: dark) { .card { background: #111 } }</style></head><body></body></html>',
      '<html data-color-scheme="dark"><head><style>@media (min-width: 0px) { .card { background: #111 } }</style></head><body></body></html>',
    ],
    [
      'a light-only rule never applies, whatever its spacing and case',
      '<html><style>@media screen and (PREFERS-COLOR-SCHEME :light){a{color:red}}</style></html>',
      '<html data-color-scheme="dark"><style>@media screen and (max-width: 0px){a{color:red}}</style></html>',
    ],
    [
      'a media attribute is rewritten too',
      '<html lang="en"><head><style media="(prefers-color-scheme: dark)">p{color:#eee}</style></head></html>',
      '<html data-color-scheme="dark" lang="en"><head><style media="(min-width: 0px)">p{color:#eee}</style></head></html>',
    ],
    [
      'text outside styles is left alone',
      '<html><body><p>(prefers-color-scheme: dark)</p></body></html>',
      '<html data-color-scheme="dark"><body><p>(prefers-color-scheme: dark)</p></body></html>',
    ],
    ['a fragment is wrapped in an element carrying the mark', '<p>Hi</p>', '<div data-color-scheme="dark"><p>Hi</p></div>'],
  ];
  for (const [name, html, expected] of cases) it(name, () => assert.equal(darkPreview(html), expected));

  it('reads the view and scheme of a query, falling back to desktop and light', () => {
    assert.equal(oneOf('mobile', PREVIEW_VIEWS), 'mobile');
    assert.equal(oneOf('tablet', PREVIEW_VIEWS), 'desktop');
    assert.equal(oneOf(['dark'], PREVIEW_SCHEMES), 'light');
    assert.equal(oneOf('dark', PREVIEW_SCHEMES), 'dark');
  });
});
