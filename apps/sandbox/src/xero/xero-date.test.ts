import { describe, expect, it } from 'vitest';
import { dateString, isoSeconds, msDate, msDateNoZone, parseIfModifiedSince, parseRequestDate } from './xero-date.js';

describe('Xero date formats', () => {
  it('writes MS-JSON dates exactly as Xero does', () => {
    expect(msDate(1503348544227)).toBe('/Date(1503348544227+0000)/');
    expect(msDateNoZone(1551399323399)).toBe('/Date(1551399323399)/');
    expect(isoSeconds(Date.UTC(2019, 10, 14, 18, 10, 38, 555))).toBe('2019-11-14T18:10:38Z');
    expect(dateString(Date.UTC(2019, 2, 11))).toBe('2019-03-11T00:00:00');
  });

  it('reads request dates as UTC midnight and refuses impossible ones', () => {
    expect(parseRequestDate('2019-03-11')).toBe(Date.UTC(2019, 2, 11));
    expect(parseRequestDate('2019-03-11T15:00:00')).toBe(Date.UTC(2019, 2, 11));
    expect(parseRequestDate('/Date(1552262400000+0000)/')).toBe(Date.UTC(2019, 2, 11));
    expect(parseRequestDate('2019-02-30')).toBeUndefined();
    expect(parseRequestDate('11/03/2019')).toBeUndefined();
  });

  it('reads If-Modified-Since in every format clients send', () => {
    const at = Date.UTC(2020, 1, 6, 20, 17, 43);
    expect(parseIfModifiedSince('2020-02-06T20:17:43.202Z')).toBe(at + 202);
    expect(parseIfModifiedSince('2020-02-06T20:17:43')).toBe(at);
    expect(parseIfModifiedSince('2020-02-06T12:17:43.202-08:00')).toBe(at + 202);
    expect(parseIfModifiedSince('2020-02-06T21:17:43+0100')).toBe(at);
    expect(parseIfModifiedSince('Thu, 06 Feb 2020 20:17:43 GMT')).toBe(at);
    expect(parseIfModifiedSince('yesterday')).toBeUndefined();
  });
});
