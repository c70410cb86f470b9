import assert from 'node:assert/strict';
import { renderExtraction, type Layout, type LineSource } from '../../server/routing/layout.js';
import { parseColumn, parseColumns } from '../../server/shared/routing-columns.js';

const columns = (specs: string[]) => {
  const r = parseColumns(specs);
  assert.ok(r.ok);
  return r.columns;
};

const ann: LineSource = {
  broadLogId: 12,
  deliveryId: 3,
  deliveryLabel: 'Spring',
  recipientId: 7,
  address: '1 rue de la paix, 75002 paris, fr',
  recipient: { firstName: 'Anne-Sophie', lastName: 'Müller', postalCode: '75002', city: 'Paris', fields: { plan: 'gold' }, fax: '+33142868000' },
};

describe('extraction file layouts', () => {
  const cases: Array<{ title: string; layout: Partial<Omit<Layout, 'columns'>> & { columns: string[] }; expected: string; encoding?: BufferEncoding }> = [
    {
      title: 'a CSV file has a header line, the configured separator and CRLF line ends',
      layout: { columns: ['documentId', 'firstName', 'fields.plan', 'deliveryLabel'] },
      expected: 'documentId;firstName;fields.plan;deliveryLabel\r\nH3-12;Anne-Sophie;gold;Spring\r\n',
    },
    {
      title: 'a fixed-width file pads left-aligned values with spaces and right-aligned ones with their padding, and cuts long ones',
      layout: { format: 'fixed', lineEnding: 'lf', columns: ['documentId:8', 'firstName:6', 'postalCode:8:right:0', 'city:3'] },
      expected: 'H3-12   Anne-S00075002Par\n',
    },
    {
      title: 'latin1 writes one byte per accented letter, and characters it lacks become "?"',
      layout: { format: 'fixed', lineEnding: 'lf', encoding: 'latin1', columns: ['lastName:8'] },
      expected: 'Müller  \n',
      encoding: 'latin1',
    },
    {
      title: 'ascii turns accented letters into "?"',
      layout: { header: false, encoding: 'ascii', lineEnding: 'lf', columns: ['lastName'] },
      expected: 'M?ller\n',
      encoding: 'latin1',
    },
  ];
  for (const c of cases)
    it(c.title, () => {
      const layout: Layout = {
        format: 'csv',
        header: true,
        separator: ';',
        encoding: 'utf8',
        lineEnding: 'crlf',
        ...c.layout,
        columns: columns(c.layout.columns),
      };
      assert.equal(renderExtraction(layout, [ann]).toString(c.encoding ?? 'utf8'), c.expected);
    });

  it('quotes CSV values holding the separator, a quote or edge spaces, and flattens line breaks', () => {
    const layout: Layout = {
      format: 'csv',
      header: false,
      separator: ',',
      encoding: 'utf8',
      lineEnding: 'lf',
      columns: columns(['firstName', 'lastName', 'city']),
    };
    const line = { ...ann, recipient: { firstName: 'A, B', lastName: 'say "hi"', city: 'two\nlines ' } };
    assert.equal(renderExtraction(layout, [line]).toString(), '"A, B","say ""hi""","two lines "\n');
  });

  const specs: Array<[string, string | undefined]> = [
    ['documentId', undefined],
    ['fields.plan_2:10:right:0', undefined],
    ['nope', '"nope" is not a column field'],
    ['city:0', 'the width must be a whole number from 1 to 1000'],
    ['city:5:centre', 'the alignment is "left" or "right"'],
    ['city:5:left:ab', 'the padding is one character'],
    ['city:5:left:0:x', 'has more than four parts'],
  ];
  for (const [spec, problem] of specs)
    it(`reads the column "${spec}" ${problem ? 'as an error' : 'as valid'}`, () => {
      const r = parseColumn(spec);
      if (!problem) assert.ok(r.ok);
      else assert.ok(!r.ok && r.reason.includes(problem), JSON.stringify(r));
    });
});
