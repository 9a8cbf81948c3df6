import type { Locale } from '../i18n/translate.ts';

/** The login page's words (kept here: the page is drawn before, and apart from, the screens). */
export const LOGIN_TEXT = {
  zh: {
    title: '登录',
    user: '用户名',
    password: '密码',
    newPassword: '新密码',
    confirm: '再次输入新密码',
    submit: '登录',
    submitChange: '设置新密码并登录',
    busy: '正在登录…',
    needed: '请登录后查看此屏幕',
    changeRequired: '这是一次性密码：请设置您自己的新密码（至少 10 个字符）',
    bad_credentials: '用户名或密码错误',
    rate_limited: '失败次数过多，请 {s} 秒后再试',
    weak_password: '新密码不符合要求：{reason}',
    mismatch: '两次输入的新密码不一致',
    auth_off: '本系统运行在开放模式，无需登录',
    pairing_invalid: '大屏配对链接已失效或已使用过，请管理员重新生成',
    network: '无法连接指挥中心服务器，请稍后再试',
    other: '登录失败：{reason}',
  },
  en: {
    title: 'Sign in',
    user: 'User name',
    password: 'Password',
    newPassword: 'New password',
    confirm: 'New password again',
    submit: 'Sign in',
    submitChange: 'Set new password and sign in',
    busy: 'Signing in…',
    needed: 'Sign in to see this screen',
    changeRequired: 'This is a one-time password: choose a new password of your own (at least 10 characters)',
    bad_credentials: 'Wrong user name or password',
    rate_limited: 'Too many failed attempts: try again in {s} s',
    weak_password: 'The new password will not do: {reason}',
    mismatch: 'The two new passwords differ',
    auth_off: 'This hub runs in open mode: no sign-in needed',
    pairing_invalid: 'This wall pairing link was used already or has expired: ask an administrator for a new one',
    network: 'The command centre server cannot be reached: try again shortly',
    other: 'Sign-in failed: {reason}',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export type LoginTextKey = keyof (typeof LOGIN_TEXT)['zh'];

/** A login message in `locale`, with its `{name}` placeholders filled. */
export function loginText(locale: Locale, key: LoginTextKey, params: Record<string, string | number> = {}): string {
  return LOGIN_TEXT[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
