import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import LoginPage from './LoginPage.svelte';
import type { AuthAnswer } from './session-api.ts';

/** A hub's login as the page sees it: answers in turn, and what it was asked. */
function hub(...answers: AuthAnswer[]) {
  const asked: Array<{ user: string; password: string; newPassword?: string }> = [];
  return {
    asked,
    logIn: async (body: { user: string; password: string; newPassword?: string }) => {
      asked.push(body);
      return answers.shift()!;
    },
  };
}

async function fill(name: string, value: string) {
  await fireEvent.input(document.querySelector(`input[name="${name}"]`)!, { target: { value } });
}

describe('LoginPage', () => {
  it('logs in and leads on to where the screen was', async () => {
    const h = hub({ ok: true, id: 'dora', role: 'dispatcher' });
    const went: string[] = [];
    render(LoginPage, {
      locale: 'zh',
      title: '厦门市城市管理行政执法局',
      reason: 'needed',
      next: '/console?lang=en',
      logIn: h.logIn,
      onDone: (to: string) => went.push(to),
    });
    expect(screen.getByText('请登录后查看此屏幕')).toBeTruthy();
    await fill('user', ' dora ');
    await fill('password', 'correct-horse-battery-42');
    await fireEvent.submit(document.querySelector('form')!);
    await Promise.resolve();
    expect(h.asked).toEqual([{ user: 'dora', password: 'correct-horse-battery-42' }]);
    expect(went).toEqual(['/console?lang=en']);
  });

  it('asks for a new password when the hub says the password was a one-time one, and sends both', async () => {
    const h = hub(
      { ok: false, error: 'password_change_required', message: '…' },
      { ok: true, id: 'admin', role: 'admin' },
    );
    const went: string[] = [];
    render(LoginPage, {
      locale: 'en',
      title: 'Xiamen',
      next: '/console',
      logIn: h.logIn,
      onDone: (to: string) => went.push(to),
    });
    await fill('user', 'admin');
    await fill('password', 'k7PqX2mZr9TtWb4NcV3a');
    await fireEvent.submit(document.querySelector('form')!);
    await screen.findByText(/This is a one-time password/);
    await fill('newPassword', 'typhoon-meranti-1614');
    await fill('confirm', 'typhoon-meranti-1615');
    await fireEvent.submit(document.querySelector('form')!);
    expect((await screen.findByRole('alert')).textContent).toBe('The two new passwords differ');
    await fill('confirm', 'typhoon-meranti-1614');
    await fireEvent.submit(document.querySelector('form')!);
    await Promise.resolve();
    expect(h.asked.at(-1)).toEqual({
      user: 'admin',
      password: 'k7PqX2mZr9TtWb4NcV3a',
      newPassword: 'typhoon-meranti-1614',
    });
    expect(went).toEqual(['/console']);
  });

  it('says plainly why a login failed: wrong password, or locked for a while', async () => {
    const h = hub(
      { ok: false, error: 'bad_credentials', message: 'wrong user name or password' },
      { ok: false, error: 'rate_limited', message: '…', retryAfterS: 42 },
    );
    render(LoginPage, { locale: 'zh', title: '厦门', next: '/console', logIn: h.logIn, onDone: () => {} });
    await fill('user', 'dora');
    await fill('password', 'nope-nope-nope');
    await fireEvent.submit(document.querySelector('form')!);
    expect((await screen.findByRole('alert')).textContent).toBe('用户名或密码错误');
    await fireEvent.submit(document.querySelector('form')!);
    await screen.findByText('失败次数过多，请 42 秒后再试');
  });
});
