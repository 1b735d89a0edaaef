import { formatInstant } from '../../../src/i18n/dates';
import { compose } from '../../../src/mail/compose';

describe('formatInstant', () => {
  // Europe's 2027 summer time starts on 28 March at 01:00 UTC: Warsaw goes from +01:00 to +02:00, Vilnius from +02:00 to +03:00.
  it('shows the local time in the zone on both sides of a daylight-saving change, with the zone named', () => {
    const before = new Date('2027-03-28T00:30:00Z');
    const after = new Date('2027-03-28T01:30:00Z');
    expect(formatInstant(before, 'Europe/Warsaw', 'en')).toBe('Sunday, March 28, 2027 at 01:30 (Europe/Warsaw)');
    expect(formatInstant(after, 'Europe/Warsaw', 'en')).toBe('Sunday, March 28, 2027 at 03:30 (Europe/Warsaw)');
    expect(formatInstant(before, 'Europe/Vilnius', 'lt')).toBe('2027 m. kovo 28 d., sekmadienis 02:30 (Europe/Vilnius)');
    expect(formatInstant(after, 'Europe/Vilnius', 'lt')).toBe('2027 m. kovo 28 d., sekmadienis 04:30 (Europe/Vilnius)');
  });

  it('writes the day and month in the reader language', () => {
    const at = new Date('2027-10-31T09:00:00Z');
    expect(formatInstant(at, 'Europe/Stockholm', 'sv')).toBe('söndag 31 oktober 2027 kl. 10:00 (Europe/Stockholm)');
    expect(formatInstant(at, 'Europe/Berlin', 'de')).toBe('Sonntag, 31. Oktober 2027 um 10:00 (Europe/Berlin)');
    expect(formatInstant(at, 'Europe/Warsaw', 'pl')).toBe('niedziela, 31 października 2027 10:00 (Europe/Warsaw)');
  });
});

describe('compose', () => {
  it('escapes every value in the HTML part and keeps the text part as typed', () => {
    const hostile = `<script>alert("x")</script> & 'quotes'`;
    const mail = compose('en', hostile, [{ paragraph: hostile }, { rows: [{ label: 'Website', value: hostile, href: 'javascript:alert(1)' }] }, { list: [hostile] }]);
    expect(mail.text).toContain(hostile);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('javascript:');
    expect(mail.html.match(/&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &#39;quotes&#39;/g)).toHaveLength(4);
  });

  it('links only http(s) URLs', () => {
    const mail = compose('en', 'Links', [{ rows: [{ label: 'Website', value: 'https://example.org/?a=1&b=2', href: 'https://example.org/?a=1&b=2' }] }]);
    expect(mail.html).toContain('<a href="https://example.org/?a=1&amp;b=2">https://example.org/?a=1&amp;b=2</a>');
    expect(mail.text).toBe('Website: https://example.org/?a=1&b=2\n');
  });

  it('writes action links in their order, one a line in text and as escaped anchors in HTML; only http(s) become links', () => {
    const mail = compose('en', 'Act', [
      { links: [{ label: 'Accept <now>', href: 'https://x.example/a/AAA' }, { label: 'Decline', href: 'https://x.example/a/BBB' }, { label: 'Bad', href: 'javascript:alert(1)' }] },
      { paragraph: 'Hello' },
    ]);
    expect(mail.text).toBe('Accept <now>: https://x.example/a/AAA\nDecline: https://x.example/a/BBB\nBad: \n\nHello\n');
    expect(mail.html).toContain('>Accept &lt;now&gt;</a>');
    expect(mail.html.indexOf('href="https://x.example/a/AAA"')).toBeLessThan(mail.html.indexOf('href="https://x.example/a/BBB"'));
    expect(mail.html).not.toContain('javascript:');
  });
});
