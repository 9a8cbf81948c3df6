import { describe, expect, it } from 'vitest';
import { originAllowed } from './origin.ts';

describe(originAllowed.name, () => {
  it('accepts the hub’s own origin, the forwarded host behind a proxy, and listed origins', () => {
    expect(originAllowed('http://10.0.0.5:8080', ['10.0.0.5:8080'], [])).toBe(true);
    expect(originAllowed('https://wall.city.gov.cn', ['127.0.0.1:8080', 'wall.city.gov.cn'], [])).toBe(true);
    expect(originAllowed('http://localhost:5173', ['127.0.0.1:8080'], ['http://localhost:5173/'])).toBe(true);
  });

  it('refuses other origins, the opaque "null" origin and non-web schemes', () => {
    expect(originAllowed('http://evil.example', ['10.0.0.5:8080'], ['http://localhost:5173'])).toBe(false);
    expect(originAllowed('null', ['10.0.0.5:8080'], [])).toBe(false);
    expect(originAllowed('file://', ['10.0.0.5:8080'], [])).toBe(false);
    expect(originAllowed('http://10.0.0.5:8081', ['10.0.0.5:8080'], [])).toBe(false);
  });

  it('leaves a request without Origin (not a browser page) to its credentials', () => {
    expect(originAllowed(undefined, ['10.0.0.5:8080'], [])).toBe(true);
  });
});
