import assert from 'node:assert/strict';
import { detectDelimiter, mapHeader, parseRow } from '../../server/recipients/csv-columns.js';
import { csvCell, csvLine } from '../../server/recipients/csv-format.js';
import type { HeraldError } from '../../server/shared/errors.js';

describe('recipients CSV columns', () => {
  it('maps common header spellings to recipient columns and the rest to custom fields', () => {
    const header = mapHeader(['E-mail', 'First Name', 'last_name', 'Format', 'opt-out', 'city', 'loyalty_tier']);
    assert.deepEqual(header.columns.slice(0, 5), [
      { kind: 'standard', column: 'email' },
      { kind: 'standard', column: 'firstName' },
      { kind: 'standard', column: 'lastName' },
      { kind: 'standard', column: 'emailFormat' },
      { kind: 'standard', column: 'denylisted' },
    ]);
    assert.deepEqual(header.customNames, ['city', 'loyalty_tier']);
  });

  it('maps the channel columns by their own names and keeps city, country and phone as custom fields', () => {
    const header = mapHeader([
      'email',
      'Mobile Phone',
      'fax',
      'address_line1',
      'Postal Code',
      'postal_city',
      'postal_country',
      'denylisted_sms',
      'city',
      'phone',
    ]);
    assert.deepEqual(
      header.columns.slice(0, 8).map((c) => (c.kind === 'standard' ? c.column : c.name)),
      ['email', 'mobile', 'fax', 'addressLine1', 'postalCode', 'city', 'country', 'denylistedSms'],
    );
    assert.deepEqual(header.customNames, ['city', 'phone']);
  });

  const channelHeader = mapHeader(['email', 'mobile', 'fax', 'postal_country', 'denylisted_sms']);
  const channelRows: Array<{ case: string; record: string[]; country?: string; reason?: RegExp; expect?: object }> = [
    {
      case: 'an international mobile number',
      record: ['a@example.com', '+33 6 12 34 56 78', '', 'fr', 'yes'],
      expect: { email: 'a@example.com', mobile: '+33612345678', fax: null, country: 'FR', denylistedSms: true },
    },
    {
      case: 'a national number read in the default country',
      record: ['a@example.com', '06 12 34 56 78', '01 45 67 89 01', '', ''],
      country: 'FR',
      expect: { email: 'a@example.com', mobile: '+33612345678', fax: '+33145678901', country: null, denylistedSms: false },
    },
    { case: 'a national number without a default country', record: ['a@example.com', '06 12 34 56 78', '', '', ''], reason: /has no country code/ },
    { case: 'a landline as mobile number', record: ['a@example.com', '+33 1 45 67 89 01', '', '', ''], reason: /is a landline, not a mobile number/ },
    {
      case: 'a number of no range',
      record: ['a@example.com', '+44 7700 900123', '', '', ''],
      reason: /mobile number "\+44 7700 900123" is not a valid number/,
    },
    { case: 'a bad country', record: ['a@example.com', '', '', 'France', ''], reason: /postal_country must be an ISO 3166 two-letter country code/ },
    {
      case: 'a country code no country has',
      record: ['a@example.com', '', '', 'ZZ', ''],
      reason: /postal_country must be an ISO 3166 two-letter country code .* got "ZZ"/,
    },
    { case: 'a bad SMS opt-out', record: ['a@example.com', '', '', '', 'maybe'], reason: /denylisted_sms must be/ },
  ];
  for (const row of channelRows) {
    it(`${row.reason ? 'rejects' : 'accepts'} ${row.case}`, () => {
      const result = parseRow(row.record, channelHeader, { defaultCountry: row.country });
      if (row.reason) {
        assert.equal(result.ok, false);
        assert.match((result as { reason: string }).reason, row.reason);
      } else assert.deepEqual(result, { ok: true, row: row.expect });
    });
  }

  const zoneHeader = mapHeader(['email', 'Time Zone', 'postal_country']);
  const zoneRows: Array<{ case: string; record: string[]; reason?: RegExp; expect?: object }> = [
    {
      case: 'an IANA zone, stored in its canonical spelling',
      record: ['a@example.com', ' europe/paris ', 'fr'],
      expect: { timeZone: 'Europe/Paris', country: 'FR' },
    },
    { case: 'a zone with an old name', record: ['a@example.com', 'US/Eastern', ''], expect: { timeZone: 'America/New_York', country: null } },
    {
      case: 'no zone: the country’s or the delivery’s, when a delivery starts',
      record: ['a@example.com', '', 'JP'],
      expect: { timeZone: null, country: 'JP' },
    },
    {
      case: 'a zone that is not a name',
      record: ['a@example.com', 'Mars/Olympus', ''],
      reason: /time_zone must be an IANA time zone such as Europe\/Paris, got "Mars\/Olympus"/,
    },
    { case: 'an offset instead of a zone', record: ['a@example.com', '+01:00', ''], reason: /time_zone must be an IANA time zone/ },
    { case: 'an abbreviation', record: ['a@example.com', 'CEST', ''], reason: /time_zone must be an IANA time zone/ },
  ];
  for (const row of zoneRows) {
    it(`${row.reason ? 'rejects' : 'accepts'} ${row.case}`, () => {
      const result = parseRow(row.record, zoneHeader);
      if (row.reason) {
        assert.equal(result.ok, false);
        assert.match((result as { reason: string }).reason, row.reason);
      } else assert.deepEqual(result, { ok: true, row: { email: 'a@example.com', ...row.expect } });
    });
  }

  const badHeaders: Array<[string[], RegExp]> = [
    [['first_name', 'city'], /no "email" column/],
    [['email', 'Email'], /appears twice/],
    [['email', ''], /empty name/],
    [['email', 'prix €'], /not a valid custom field name/],
  ];
  for (const [header, reason] of badHeaders) {
    it(`refuses the header ${JSON.stringify(header)} before importing anything`, () => {
      assert.throws(
        () => mapHeader(header),
        (err: HeraldError) => err.code === 'IMPORT_BAD_HEADER' && reason.test(err.message),
      );
    });
  }

  const header = mapHeader(['email', 'first_name', 'email_format', 'denylisted', 'city']);
  const rows: Array<{ case: string; record: string[]; reason?: RegExp; expect?: object }> = [
    {
      case: 'a good row',
      record: [' Ann@Example.COM ', 'Ann', 'TEXT', 'yes', 'Paris'],
      expect: { email: 'ann@example.com', firstName: 'Ann', emailFormat: 'text', denylisted: true, fields: { city: 'Paris' } },
    },
    {
      case: 'empty optional cells',
      record: ['bob@example.com', '', '', '', ''],
      expect: { email: 'bob@example.com', firstName: null, emailFormat: 'html', denylisted: false, fields: { city: '' } },
    },
    { case: 'an empty email', record: ['', 'x', '', '', ''], reason: /empty email/ },
    { case: 'an email without @', record: ['ann.example.com', 'x', '', '', ''], reason: /no "@"/ },
    { case: 'an email with a bad domain', record: ['ann@-example.com', 'x', '', '', ''], reason: /domain is not a valid host name/ },
    { case: 'an email with a numeric top-level domain', record: ['ann@10.0.0.1', 'x', '', '', ''], reason: /domain is not a valid host name/ },
    { case: 'an email with spaces inside', record: ['a nn@example.com', 'x', '', '', ''], reason: /local part/ },
    { case: 'an email with a header injection', record: ['ann@example.com\r\nBcc: x@evil.test', 'x', '', '', ''], reason: /domain|local part/ },
    { case: 'a local part over 64 characters', record: [`${'a'.repeat(65)}@example.com`, 'x', '', '', ''], reason: /longer than 64/ },
    { case: 'a bad format', record: ['c@example.com', 'x', 'pdf', '', ''], reason: /email_format must be "html" or "text"/ },
    { case: 'a bad flag', record: ['c@example.com', 'x', '', 'maybe', ''], reason: /denylisted must be/ },
    { case: 'a name over 255 characters', record: ['c@example.com', 'x'.repeat(256), '', '', ''], reason: /first name longer than 255/ },
    { case: 'a custom field over 1024 characters', record: ['c@example.com', 'x', '', '', 'y'.repeat(1025)], reason: /city longer than 1024/ },
    { case: 'a missing column', record: ['c@example.com', 'x', '', ''], reason: /expected 5 columns, got 4/ },
    { case: 'an extra column', record: ['c@example.com', 'x', '', '', '', 'extra'], reason: /expected 5 columns, got 6/ },
  ];
  for (const row of rows) {
    it(`${row.reason ? 'rejects' : 'accepts'} ${row.case}`, () => {
      const result = parseRow(row.record, header);
      if (row.reason) {
        assert.equal(result.ok, false);
        assert.match((result as { reason: string }).reason, row.reason);
      } else {
        assert.deepEqual(result, { ok: true, row: row.expect });
      }
    });
  }

  it('detects comma, semicolon and tab delimiters from the header line', () => {
    assert.equal(detectDelimiter('email,first_name,city'), ',');
    assert.equal(detectDelimiter('email;first_name;city'), ';');
    assert.equal(detectDelimiter('email\tfirst_name'), '\t');
    assert.equal(detectDelimiter('email'), ',');
  });
});

describe('CSV output', () => {
  it('quotes what needs quoting and neutralizes spreadsheet formulas', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    for (const formula of ['=HYPERLINK("http://evil")', '+1+1', '-2', '@SUM(A1)', '\tx'])
      assert.ok(csvCell(formula).replace(/^"/, '').startsWith("'"), formula);
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(false), 'false');
    assert.equal(csvLine(['a', 1, true]), 'a,1,true\r\n');
  });
});
