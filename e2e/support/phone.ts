import type { BrowserContext } from 'playwright-core';
import type { FileBrowser } from './chromium.ts';

/** A phone as the field terminal's tests hold it: 390×844 CSS px (an iPhone 12–14 or a mid-range Android), touch. */
export const PHONE = { width: 390, height: 844 };

/** Xiamen's 思明区, near 中山路: where the tests' phones start. */
export const PHONE_START = { longitude: 118.0806, latitude: 24.4555 };

/** A phone's context: mobile viewport and touch, zh-CN, geolocation granted and placed, for the hub at `base`. */
export async function phoneContext(browser: FileBrowser, base: string): Promise<BrowserContext> {
  return browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    geolocation: { ...PHONE_START, accuracy: 8 },
    permissions: ['geolocation'],
    baseURL: base,
  });
}
